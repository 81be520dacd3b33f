/** Pieces of a command's arguments, as typed on any platform. */
export type Token =
  | { kind: 'conversation'; number: number; raw: string }
  | { kind: 'agent'; ref: AgentRef; raw: string }
  | { kind: 'flag'; name: string; value?: string | undefined; raw: string }
  | { kind: 'word'; value: string; raw: string };

/** `@handle` (handle, then Telegram username) or a Slack `<@U…|name>` mention. */
export type AgentRef = { kind: 'name'; value: string } | { kind: 'slack'; id: string };

const CONVERSATION = /^#(\d{1,9})$/;
const SLACK_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const AT_NAME = /^@([A-Za-z0-9_.-]+)$/;
const FLAG = /^--([a-z][a-z-]*)(?:=(.*))?$/;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const raw of text.trim().split(/\s+/).filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = raw.match(CONVERSATION))) out.push({ kind: 'conversation', number: Number(m[1]), raw });
    else if ((m = raw.match(SLACK_MENTION))) out.push({ kind: 'agent', ref: { kind: 'slack', id: m[1]! }, raw });
    else if ((m = raw.match(AT_NAME))) out.push({ kind: 'agent', ref: { kind: 'name', value: m[1]!.toLowerCase() }, raw });
    else if ((m = raw.match(FLAG))) out.push({ kind: 'flag', name: m[1]!, value: m[2], raw });
    else out.push({ kind: 'word', value: raw, raw });
  }
  return out;
}

export function describeRef(ref: AgentRef): string {
  return ref.kind === 'name' ? `@${ref.value}` : `<@${ref.id}>`;
}
