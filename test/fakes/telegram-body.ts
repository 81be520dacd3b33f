import type { IncomingMessage } from 'node:http';

/** Request body of a Bot API call: JSON, x-www-form-urlencoded or multipart/form-data (files become {filename, size}). */
export async function parseBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (type.startsWith('multipart/form-data') && boundary) return parseMultipart(raw, boundary[1] ?? boundary[2]!);
  throw new Error(`unsupported content-type ${type || '(none)'}`);
}

function parseMultipart(raw: Buffer, boundary: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const partStart = start + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === '--') break; // closing delimiter
    const next = raw.indexOf(delimiter, partStart);
    if (next < 0) break;
    const part = raw.subarray(partStart + 2, next - 2); // strip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const body = part.subarray(headerEnd + 4);
      const name = /(?:^|;\s*)name="([^"]*)"/m.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/.exec(headers)?.[1];
      if (name !== undefined) fields[name] = filename !== undefined ? { filename, size: body.length } : body.toString('utf8');
    }
    start = next;
  }
  return fields;
}
