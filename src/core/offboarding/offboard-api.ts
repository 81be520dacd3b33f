import { z } from 'zod';
import type { CoreDeps } from '../deps.js';
import { ADMIN_API_ACTOR, type Agent } from '../model/agent.js';
import type { InboundEvent } from '../ports/inbound.js';
import { err, ok, type Result } from '../errors.js';
import type { CommandContext } from '../commands/context.js';
import type { CommandCatalogue } from '../commands/catalogue.js';
import { deliverAll } from '../delivery/deliver.js';
import { runOffboard, runOffboardButton } from './offboard-command.js';
import { distributionLine } from './texts.js';
import { workingLine } from './progress.js';

/** The admin API as a caller: an admin that is no agent (it has no chat and holds no conversations). */
function apiCaller(now: Date): Agent {
  return {
    handle: ADMIN_API_ACTOR,
    name: 'Admin API',
    role: 'admin',
    status: 'active',
    availability: 'offline',
    capacity: 0,
    openCount: 0,
    homePlatform: 'telegram',
    createdAt: now,
  };
}

function apiContext(deps: CoreDeps, catalogue: CommandCatalogue, id: string): CommandContext {
  const event: InboundEvent = {
    platform: 'telegram',
    deliveryId: `admin-api:${id}`,
    kind: 'command',
    sender: { id: ADMIN_API_ACTOR, name: 'Admin API' },
    chat: { id: ADMIN_API_ACTOR, isDirect: true },
    text: '',
    command: 'offboard',
  };
  return { deps, caller: apiCaller(deps.clock.now()), event, catalogue };
}

const handleRef = z.string().trim().regex(/^@?[a-z0-9_.-]+$/, 'an agent handle such as "nina"');
const shares = z.union([
  z.record(handleRef, z.number().int().min(1).max(999_999)),
  z.string().trim().regex(/^@?[a-z0-9_.-]+=\d+(,@?[a-z0-9_.-]+=\d+)*$/, 'like "@a=2,@b=1"'),
]);

/** The options of `/offboard` as JSON (SPEC §5). */
const OffboardBody = z
  .object({
    mode: z.enum(['suspend', 'disable', 'remove']).optional(),
    until: z.string().trim().min(1).optional(),
    strategy: z.enum(['round-robin', 'least-busy']).optional(),
    to: handleRef.optional(),
    ratio: shares.optional(),
    hardcoded: shares.optional(),
  })
  .strict();

const at = (handle: string) => (handle.startsWith('@') ? handle : `@${handle}`);
const shareText = (value: z.infer<typeof shares>) =>
  typeof value === 'string'
    ? value.split(',').map((part) => at(part.trim())).join(',')
    : Object.entries(value)
        .map(([h, n]) => `${at(h)}=${n}`)
        .join(',');

/** JSON options → the arguments of `/offboard`, so that both doors share one parser and one set of rules. */
function toArguments(handle: string, body: z.infer<typeof OffboardBody>): Result<string> {
  if (body.until !== undefined && body.mode !== 'suspend') return err('invalid_argument', 'until is only for "mode": "suspend".', 'until');
  const plans = (['strategy', 'to', 'ratio', 'hardcoded'] as const).filter((k) => body[k] !== undefined);
  if (plans.length > 1) return err('invalid_argument', `Give one plan: strategy, to, ratio or hardcoded, not ${plans.join(' and ')}.`, plans[1]);
  const parts = [at(handle)];
  if (body.mode) parts.push(`--${body.mode}`);
  if (body.until) parts.push('--until', body.until);
  if (body.strategy) parts.push('--strategy', body.strategy);
  if (body.to) parts.push('--to', at(body.to));
  if (body.ratio !== undefined) parts.push('--ratio', shareText(body.ratio));
  if (body.hardcoded !== undefined) parts.push('--hardcoded', shareText(body.hardcoded));
  return ok(parts.join(' '));
}

export interface OffboardingPreviewView {
  code: string;
  agent: string;
  mode: string;
  until: string | null;
  expiresAt: string;
  /** "6 conversations: @ben 4, @cid 2, 0 unassigned" */
  distribution: string;
  plan: { conversation: number; inbox: string; to: string | null }[];
  inboxes: string[];
  /** The preview as a supervisor reads it in chat. */
  text: string;
}

export interface OffboardingDoneView {
  code: string;
  agent: string;
  state: string;
  /**
   * The summary a supervisor gets in chat ("6/6 reassigned, 0 left unassigned"); null while it is
   * still being carried out (then `message` says so, and GET /api/offboardings/:code has it later).
   */
  summary: string | null;
  /** Only while running: "Offboarding @ann: handing over 6 conversations…". */
  message?: string;
}

/** The chat's one-line errors speak of `/offboard`; the API's say what to send. */
const forApi = (message: string) =>
  message
    .replace(/ ?Type \/offboard @agent .*$/, ' See "POST /api/agents/:handle/offboard" in the README.')
    .replace(/\/offboard confirm (\S+)/g, 'POST /api/offboardings/$1/confirm')
    .replace(/\/agents lists them/g, 'GET /api/agents lists them')
    .replace(/\/offboard @agent makes a new preview/g, 'POST /api/agents/:handle/offboard makes a new preview')
    .replace(/type \/offboard @([a-z0-9_.-]+) again/g, 'send POST /api/agents/$1/offboard again')
    .replace(/try \/offboard again/g, 'send the request again');

/** POST /api/agents/:handle/offboard: the preview of §5, stored with its code; nothing changes yet. */
export async function offboardByApi(deps: CoreDeps, catalogue: CommandCatalogue, handle: string, input: unknown): Promise<Result<OffboardingPreviewView>> {
  const body = OffboardBody.safeParse(input ?? {});
  if (!body.success) {
    const issue = body.error.issues[0]!;
    const field = issue.path.map(String).join('.') || 'body';
    return err('invalid_argument', `${field} is invalid: ${issue.message}. Send {"mode"?: "suspend"|"disable"|"remove", "until"?, "strategy"? | "to"? | "ratio"? | "hardcoded"?}.`, field);
  }
  const args = toArguments(handle, body.data);
  if (!args.ok) return args;
  const ctx = apiContext(deps, catalogue, `${handle}:${deps.clock.now().getTime()}`);
  const previewed = await runOffboard(ctx, args.value);
  if (!previewed.ok) return err(previewed.error.code, forApi(previewed.error.message), previewed.error.field);
  const code = previewed.value.answer.buttons?.[0]?.value;
  const record = code ? await deps.store.findOffboardingByCode(code) : null;
  if (!record) return err('conflict', 'The preview could not be stored; send the request again.');
  return ok({
    code: record.code,
    agent: record.agent,
    mode: record.mode,
    until: record.until?.toISOString() ?? null,
    expiresAt: record.expiresAt.toISOString(),
    distribution: distributionLine(record.plan),
    plan: record.plan.map((m) => ({ conversation: m.conversation, inbox: m.inbox, to: m.to })),
    inboxes: [...record.inboxes],
    text: forApi(previewed.value.answer.text),
  });
}

/**
 * POST /api/offboardings/:code/confirm: carry out a preview the admin API made, once. Answers with
 * the summary when it is done within WORKING_NOTICE_AFTER_MS; else at that moment with state
 * `running` and a line saying it is working, and the offboarding carries on (its summary is then
 * read with GET /api/offboardings/:code).
 */
export async function confirmByApi(deps: CoreDeps, catalogue: CommandCatalogue, code: string): Promise<Result<OffboardingDoneView>> {
  const clean = code.trim().toUpperCase();
  const ctx = apiContext(deps, catalogue, `confirm:${clean}`);
  let working: (text: string) => void = () => undefined;
  const slow = new Promise<{ kind: 'working'; text: string }>((resolve) => {
    working = (text) => resolve({ kind: 'working', text });
  });
  const work = (async () => {
    const done = await runOffboardButton(ctx, 'confirm', clean, working);
    if (done.ok) await deliverAll(deps, done.value.outbound);
    return done;
  })();
  const first = await Promise.race([work.then((done) => ({ kind: 'done' as const, done })), slow]);
  if (first.kind === 'working') {
    work.catch((e: unknown) => deps.logger.error({ code: clean, error: (e as Error).message }, 'offboarding by the admin API failed'));
    const record = await deps.store.findOffboardingByCode(clean);
    return ok({ code: clean, agent: record?.agent ?? '', state: 'running', summary: null, message: first.text });
  }
  const done = first.done;
  if (!done.ok) return err(done.error.code, forApi(done.error.message), done.error.field);
  const record = await deps.store.findOffboardingByCode(clean);
  return ok({ code: clean, agent: record?.agent ?? '', state: record?.state ?? 'done', summary: done.value.answer.text });
}

/** GET /api/offboardings/:code: where an offboarding stands, with its summary once carried out. */
export async function offboardingByApi(deps: CoreDeps, code: string): Promise<Result<OffboardingDoneView>> {
  const clean = code.trim().toUpperCase();
  const record = /^[A-Z0-9]{1,32}$/.test(clean) ? await deps.store.findOffboardingByCode(clean) : null;
  if (!record) return err('offboarding_not_found', `No offboarding has the code ${clean.slice(0, 32)}; POST /api/agents/:handle/offboard makes a preview.`);
  const view: OffboardingDoneView = { code: record.code, agent: record.agent, state: record.state, summary: record.summary ?? null };
  if (record.state === 'running') view.message = workingLine(record);
  return ok(view);
}
