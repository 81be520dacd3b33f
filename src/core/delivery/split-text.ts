/** Cut at `at` code units without splitting a surrogate pair (an emoji) in half. */
function cutAt(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * The text in pieces of at most `max` code units, preferring to break at a line end, then at a
 * space, never inside a surrogate pair. Messages are split rather than cut so that nothing a
 * customer or an agent wrote is lost.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let at = window.lastIndexOf('\n');
    if (at < max / 2) at = window.lastIndexOf(' ');
    if (at < max / 2) at = cutAt(rest, max);
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).replace(/^[\n ]/, '');
  }
  parts.push(rest);
  return parts.filter((part, i) => part.length > 0 || i === 0);
}

/**
 * Blocks of text (lines, or whole messages) packed into as few texts of at most `limit` code units
 * as they fit in, in order. Every text after the first starts with `continued` (a line that says
 * which conversation it belongs to); a block longer than a whole text is split across several.
 */
export function packBlocks(blocks: readonly string[], limit: number, continued: string): string[] {
  const texts: string[] = [];
  let current = '';
  const flush = () => {
    if (current) texts.push(current);
    current = '';
  };
  const start = () => (texts.length === 0 ? '' : `${continued}\n`);
  for (const block of blocks) {
    const joined = current ? `${current}\n${block}` : `${start()}${block}`;
    if (joined.length <= limit) {
      current = joined;
      continue;
    }
    flush();
    const head = start();
    if (head.length + block.length <= limit) {
      current = head + block;
      continue;
    }
    // too long for one text: in pieces, each behind the continuation line (the first too when texts came before)
    const room = Math.max(1, limit - `${continued}\n`.length);
    const pieces = splitText(block, room);
    for (const [i, piece] of pieces.entries()) {
      const prefix = texts.length === 0 && i === 0 ? '' : `${continued}\n`;
      if (i === pieces.length - 1) current = prefix + piece;
      else texts.push(prefix + piece);
    }
  }
  flush();
  return texts;
}
