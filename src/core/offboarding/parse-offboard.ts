import { DateTime, Duration } from 'luxon';
import type { OffboardMode } from '../model/offboarding.js';
import { STRATEGIES, type Strategy } from '../model/inbox.js';
import { tokenize, type AgentRef, type Token } from '../commands/tokens.js';

/** How the agent's open conversations are handed out, as typed. */
export type PlanSpec =
  | { kind: 'strategy'; strategy: Strategy }
  | { kind: 'to'; target: AgentRef }
  | { kind: 'ratio' | 'hardcoded'; entries: ShareSpec[] };

export interface ShareSpec {
  ref: AgentRef;
  n: number;
}

export type OffboardArgs =
  | { action: 'preview'; target: AgentRef; mode: OffboardMode; until?: Date | undefined; plan: PlanSpec }
  | { action: 'confirm' | 'cancel'; code: string };

export interface OffboardParseError {
  error: string;
}

const MODE_FLAGS = ['suspend', 'disable', 'remove'] as const;
const PLAN_FLAGS = ['strategy', 'to', 'ratio', 'hardcoded'] as const;
const KNOWN = new Set<string>([...MODE_FLAGS, ...PLAN_FLAGS, 'until']);

const DURATION = /^(\d{1,6})(s|m|h|d)$/;
const UNITS = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' } as const;
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const SHARE = /^(@[A-Za-z0-9_.-]+|<@[UW][A-Z0-9]+(?:\|[^>]*)?>)=(\d{1,6})$/;
const CODE = /^[A-Za-z0-9]{4,32}$/;

/** The arguments of /offboard, as /help and the error messages show them. */
export const OFFBOARD_ARGS =
  '@agent [--suspend [--until WHEN] | --disable | --remove] [--strategy round-robin|least-busy | --to @agent | --ratio @a=N,@b=M | --hardcoded @a=N,@b=M]';

const usage = (what: string): OffboardParseError => ({ error: `${what}. Type /offboard ${OFFBOARD_ARGS}` });

export function isOffboardParseError(x: OffboardArgs | OffboardParseError): x is OffboardParseError {
  return 'error' in x;
}

/**
 * `WHEN` of `--until`: an ISO 8601 time (UTC when it names no zone) or a duration such as `30s`,
 * `90m`, `2h`, `3d` counted from `now`. Null when it is neither, names a day or hour that does not
 * exist (`2026-02-30`, `T25:00`), or is not in the future. Luxon reads and checks both.
 */
export function parseWhen(raw: string, now: Date): Date | null {
  const d = raw.match(DURATION);
  if (d) {
    const duration = Duration.fromObject({ [UNITS[d[2] as keyof typeof UNITS]]: Number(d[1]) });
    const ms = duration.isValid ? duration.toMillis() : 0;
    return ms > 0 ? new Date(now.getTime() + ms) : null;
  }
  if (!ISO.test(raw)) return null;
  const at = DateTime.fromISO(raw, { zone: 'utc' });
  if (!at.isValid || at.toMillis() <= now.getTime()) return null;
  return at.toJSDate();
}

function parseRef(raw: string): AgentRef | null {
  const [token] = tokenize(raw);
  return token && token.kind === 'agent' ? token.ref : null;
}

/** `@a=2,@b=3` → shares in the order listed. */
function parseShares(flag: string, raw: string): ShareSpec[] | OffboardParseError {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return usage(`--${flag} needs a list such as @amanda=2,@mathew=1`);
  const out: ShareSpec[] = [];
  for (const item of items) {
    const m = item.match(SHARE);
    const ref = m ? parseRef(m[1]!) : null;
    if (!m || !ref) return usage(`"${item}" is not @agent=N in --${flag}`);
    const n = Number(m[2]);
    if (n < 1) return usage(`Give each agent at least 1 in --${flag} ("${item}")`);
    const key = ref.kind === 'name' ? ref.value : ref.id;
    if (out.some((s) => (s.ref.kind === 'name' ? s.ref.value : s.ref.id) === key)) return usage(`${m[1]} appears twice in --${flag}`);
    out.push({ ref, n });
  }
  return out;
}

/** The value of a flag: `--flag=value`, else the next token (a list may continue after a comma). */
function takeValue(tokens: Token[], i: number, flag: Extract<Token, { kind: 'flag' }>): { value?: string; next: number } {
  if (flag.value !== undefined) return { value: flag.value, next: i + 1 };
  const t = tokens[i + 1];
  if (!t || t.kind === 'flag') return { next: i + 1 };
  let value = t.raw;
  let j = i + 2;
  while ((flag.name === 'ratio' || flag.name === 'hardcoded') && value.endsWith(',') && tokens[j] && tokens[j]!.kind !== 'flag') {
    value += tokens[j]!.raw;
    j++;
  }
  return { value, next: j };
}

/** `/offboard` arguments → what to do, or a one-line error with the usage. Pure: `now` resolves `--until`. */
export function parseOffboard(text: string, now: Date): OffboardArgs | OffboardParseError {
  const tokens = tokenize(text);
  const first = tokens[0];
  if (first && first.kind === 'word' && /^(confirm|cancel)$/i.test(first.value)) {
    const action = first.value.toLowerCase() as 'confirm' | 'cancel';
    const code = tokens[1];
    if (!code || code.kind !== 'word' || !CODE.test(code.value)) return { error: `Missing the code. Type /offboard ${action} CODE (the code is in the preview).` };
    if (tokens.length > 2) return { error: `Unexpected "${tokens[2]!.raw}". Type /offboard ${action} CODE` };
    return { action, code: code.value.toUpperCase() };
  }

  let target: AgentRef | undefined;
  const flags = new Map<string, string | undefined>();
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!;
    if (t.kind === 'agent') {
      if (target) return usage(`Name one agent to offboard ("${t.raw}" is extra; plans take agents after --to, --ratio or --hardcoded)`);
      target = t.ref;
      i++;
      continue;
    }
    if (t.kind !== 'flag') return usage(`Unexpected "${t.raw}"`);
    if (!KNOWN.has(t.name)) return usage(`Unknown option ${t.raw}`);
    if (flags.has(t.name)) return usage(`--${t.name} is given twice`);
    if ((MODE_FLAGS as readonly string[]).includes(t.name)) {
      if (t.value !== undefined) return usage(`--${t.name} takes no value`);
      flags.set(t.name, undefined);
      i++;
      continue;
    }
    const { value, next } = takeValue(tokens, i, t);
    if (value === undefined) return usage(`--${t.name} needs a value`);
    flags.set(t.name, value);
    i = next;
  }
  if (!target) return usage('Missing the agent to offboard');

  const modes = MODE_FLAGS.filter((m) => flags.has(m));
  if (modes.length > 1) return usage(`Choose one of --suspend, --disable, --remove (got ${modes.map((m) => `--${m}`).join(' and ')})`);
  const mode: OffboardMode = modes[0] ?? 'disable';
  let until: Date | undefined;
  if (flags.has('until')) {
    if (mode !== 'suspend') return usage('--until goes with --suspend only');
    const raw = flags.get('until')!;
    const at = parseWhen(raw, now);
    if (!at && ISO.test(raw) && !DateTime.fromISO(raw, { zone: 'utc' }).isValid) {
      return usage(`"${raw}" is no such date or time (check the day of the month and the hour); give an ISO 8601 time like 2026-03-01T09:00Z or a duration like 30s, 90m, 2h, 3d`);
    }
    if (!at) return usage(`"${raw}" is not a future time: give an ISO 8601 time like 2026-03-01T09:00Z or a duration like 30s, 90m, 2h, 3d`);
    until = at;
  }

  const plans = PLAN_FLAGS.filter((p) => flags.has(p));
  if (plans.length > 1) return usage(`Choose one plan: --strategy, --to, --ratio or --hardcoded (got ${plans.map((p) => `--${p}`).join(' and ')})`);
  let plan: PlanSpec = { kind: 'strategy', strategy: 'round-robin' };
  const kind = plans[0];
  const raw = kind ? flags.get(kind)! : '';
  if (kind === 'strategy') {
    if (!(STRATEGIES as readonly string[]).includes(raw)) return usage(`Unknown strategy "${raw}"; use round-robin or least-busy`);
    plan = { kind: 'strategy', strategy: raw as Strategy };
  } else if (kind === 'to') {
    const ref = parseRef(raw);
    if (!ref) return usage(`--to needs an agent like @amanda, not "${raw}"`);
    plan = { kind: 'to', target: ref };
  } else if (kind === 'ratio' || kind === 'hardcoded') {
    const entries = parseShares(kind, raw);
    if (!Array.isArray(entries)) return entries;
    plan = { kind, entries };
  }
  return { action: 'preview', target, mode, until, plan };
}
