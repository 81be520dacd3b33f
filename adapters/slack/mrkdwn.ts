/**
 * Slack text ↔ plain text. Slack sends message text with `&`, `<` and `>` escaped and with
 * links, channels and special mentions wrapped in angle brackets; outgoing text must escape
 * the same three characters.
 */

const USER_MENTION = /^@[UW][A-Z0-9]+(\|[^>]*)?$/;

/** Slack message text → the plain text a person typed. User mentions `<@U…>` are kept (the core reads them). */
export function fromSlackText(text: string): string {
  const unwrapped = text.replace(/<([^<>]*)>/g, (whole, inner: string) => {
    if (USER_MENTION.test(inner)) return `<${inner.split('|')[0]}>`;
    const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
    if (target.startsWith('#C') || target.startsWith('#G')) return label ? `#${label}` : target;
    if (target.startsWith('!')) {
      const special = target.slice(1).split('^')[0] ?? '';
      if (special === 'here' || special === 'channel' || special === 'everyone') return `@${special}`;
      return label ?? whole;
    }
    if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      if (!label || label === target || target.endsWith(`//${label}`) || target.endsWith(`//${label}/`)) return target;
      return `${label} (${target})`;
    }
    return whole;
  });
  return unwrapped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const KEEP_TOKEN = /<@[UW][A-Z0-9]+>|<#[CG][A-Z0-9]+(\|[^<>]*)?>|<!(here|channel|everyone)>/g;

/** Plain text → Slack message text: escapes `&`, `<`, `>` but keeps user/channel mentions working. */
export function toSlackText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(KEEP_TOKEN)) {
    out += escape(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + escape(text.slice(last));
}

/** Plain text shown as is in mrkdwn: `&`, `<`, `>` escaped, no mention or link becomes live. */
export function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
