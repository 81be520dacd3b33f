import { isSupervisor, type Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { Button, NoticeUpdate } from '../ports/inbound.js';
import { capabilitiesOf } from '../deps.js';
import { err, ok, type Result } from '../errors.js';
import { fitAnswer, oneLine, quote } from '../delivery/notices.js';
import { mayManage, transfer } from '../conversations/actions.js';
import { conversationFromContext } from '../conversations/from-context.js';
import { NOTICE_ACTIONS, noticeButtons, noticeUpdate } from '../conversations/notice-buttons.js';
import { agentsHint, answered, type CommandContext, type CommandOutcome } from './context.js';
import type { ButtonDefinition } from './catalogue.js';
import { runClaim, runClose, runUnassign } from './conversation-commands.js';

/** Buttons of the transfer flow: pick an agent (platforms without forms), transfer, cancel. */
export const TRANSFER_ACTIONS = { pick: 'transfer-pick', to: 'transfer-to', cancel: 'transfer-cancel' } as const;
/** The shortcut on a message of a conversation's thread: the conversation's buttons. */
export const ACTIONS_SHORTCUT = 'actions';

const HISTORY_LIMIT = 20;

/** `N` or `N:handle` from a button's value. */
function parseValue(value: string): { number: number; handle?: string } | null {
  const m = /^(\d{1,9})(?::([a-z0-9_.-]{1,64}))?$/.exec(value);
  return m ? { number: Number(m[1]), ...(m[2] ? { handle: m[2] } : {}) } : null;
}

const broken = (what: string): Result<never> => err('invalid_argument', `That button is broken; type ${what}.`);

async function conversationOf(ctx: CommandContext, number: number): Promise<Result<Conversation>> {
  const conv = await ctx.deps.store.getConversation(number);
  return conv ? ok(conv) : err('conversation_not_found', `There is no conversation #${number}. /mine lists yours, /queue what waits.`);
}

/** After a press on a conversation's message: the new status line on success, where it stands otherwise. */
function refreshNotice(success: (caller: Agent, conv: Conversation) => string | undefined) {
  return async (ctx: CommandContext, value: string, result: Result<CommandOutcome>): Promise<NoticeUpdate | undefined> => {
    const parsed = parseValue(value);
    if (!parsed) return undefined;
    const conv = await ctx.deps.store.getConversation(parsed.number);
    if (!conv) return undefined;
    const viewer = (await ctx.deps.store.getAgent(ctx.caller.handle)) ?? ctx.caller;
    return noticeUpdate(conv, viewer, result.ok ? success(viewer, conv) : undefined);
  };
}

function conversationButton(
  action: string,
  typed: string,
  run: (ctx: CommandContext, number: number) => Promise<Result<CommandOutcome>>,
  success: (caller: Agent, conv: Conversation) => string | undefined,
): ButtonDefinition {
  return {
    action,
    run: (ctx, value) => {
      const parsed = parseValue(value);
      return parsed ? run(ctx, parsed.number) : Promise.resolve(broken(typed));
    },
    notice: refreshNotice(success),
  };
}

/** Agents who can take the conversation from `caller` now: active members of its inbox but its holder, with room unless a supervisor asks. */
async function transferTargets(ctx: CommandContext, conv: Conversation): Promise<Agent[]> {
  const { store } = ctx.deps;
  const out: Agent[] = [];
  for (const m of await store.listMembers(conv.inbox)) {
    const a = await store.getAgent(m.handle);
    if (!a || a.status !== 'active' || a.handle === conv.assignee) continue;
    if (!isSupervisor(ctx.caller) && a.openCount >= a.capacity) continue;
    out.push(a);
  }
  const rank = { online: 0, away: 1, offline: 2 } as const;
  return out.sort((a, b) => rank[a.availability] - rank[b.availability] || a.openCount - b.openCount || a.handle.localeCompare(b.handle));
}

const agentLabel = (a: Agent) => `@${a.handle} ${a.name} · ${a.availability} · ${a.openCount}/${a.capacity}`;

/** The checks a transfer makes before any target is known: it is open, and the caller may manage it. */
function mayTransfer(caller: Agent, conv: Conversation): Result<true> {
  if (conv.status === 'closed') return err('conversation_closed', `Conversation #${conv.number} is closed; nothing to transfer.`);
  if (!mayManage(caller, conv)) {
    const holder = conv.assignee ? `assigned to @${conv.assignee}` : 'not assigned to you';
    return err('forbidden', `Conversation #${conv.number} is ${holder}; only its assignee or a supervisor can transfer it.`);
  }
  return ok(true);
}

/** Transfer pressed: a form to pick the agent (and write a note), or the agents as buttons. */
async function openTransfer(ctx: CommandContext, number: number): Promise<Result<CommandOutcome>> {
  const found = await conversationOf(ctx, number);
  if (!found.ok) return found;
  const conv = found.value;
  const allowed = mayTransfer(ctx.caller, conv);
  if (!allowed.ok) return allowed;
  const targets = await transferTargets(ctx, conv);
  if (targets.length === 0) {
    const next = isSupervisor(ctx.caller) ? '/agents shows who is where' : 'try again when a colleague is online, or ask a supervisor';
    return err('nothing_to_do', `Nobody else in inbox ${conv.inbox} can take #${conv.number} now; ${next}.`);
  }
  const caps = capabilitiesOf(ctx.deps, ctx.event.platform);
  if (caps.modals) {
    return ok({
      answer: {
        text: `Pick the agent for #${conv.number} and write a note if you like.`,
        form: {
          title: `Transfer #${conv.number}`,
          submit: 'Transfer',
          action: TRANSFER_ACTIONS.to,
          choiceLabel: `Agent (members of ${conv.inbox})`,
          choices: targets.map((a) => ({ label: agentLabel(a), value: `${conv.number}:${a.handle}` })),
          textLabel: 'Note for the new assignee (optional)',
        },
      },
      outbound: [],
    });
  }
  const buttons: Button[] = [];
  const typed: string[] = [];
  for (const a of targets) {
    const button = { label: agentLabel(a), action: TRANSFER_ACTIONS.pick, value: `${conv.number}:${a.handle}` };
    if (fits(button, caps.maxButtonDataBytes)) buttons.push(button);
    else typed.push(`@${a.handle}`);
  }
  const rest = typed.length ? ` Others: /transfer #${conv.number} ${typed.join(' or ')}.` : '';
  return ok({ answer: { text: `Transfer #${conv.number} to whom?${rest}`, buttons }, outbound: [] });
}

const encoder = new TextEncoder();
const fits = (b: Button, max: number) => encoder.encode(`${b.action}:${b.value}`).length <= max;

/** An agent picked (platforms without forms): ask for an optional note, given by replying to this answer. */
async function pickTarget(ctx: CommandContext, value: string): Promise<Result<CommandOutcome>> {
  const parsed = parseValue(value);
  if (!parsed?.handle) return broken('/transfer #N @agent');
  const found = await conversationOf(ctx, parsed.number);
  if (!found.ok) return found;
  const allowed = mayTransfer(ctx.caller, found.value);
  if (!allowed.ok) return allowed;
  const n = parsed.number;
  return ok({
    answer: {
      text: `Transfer #${n} to @${parsed.handle}: reply to this message with a note for @${parsed.handle}, or press Transfer now.`,
      buttons: [
        { label: 'Transfer now', action: TRANSFER_ACTIONS.to, value, style: 'primary', withText: true },
        { label: 'Cancel', action: TRANSFER_ACTIONS.cancel, value: String(n) },
      ],
    },
    outbound: [],
  });
}

/** The transfer itself, from a form or the Transfer now button (the note is the event's text). */
async function transferTo(ctx: CommandContext, value: string): Promise<Result<CommandOutcome>> {
  const parsed = parseValue(value);
  if (!parsed?.handle) return broken('/transfer #N @agent');
  const found = await conversationOf(ctx, parsed.number);
  if (!found.ok) return found;
  const target = await ctx.deps.store.getAgent(parsed.handle);
  if (!target) return err('agent_not_found', `No agent @${parsed.handle}. ${agentsHint(ctx.caller)}`);
  const note = ctx.event.text.trim() || undefined;
  const r = await transfer(ctx.deps, ctx.caller, found.value, target, note);
  return r.ok ? ok(answered(r.value.answer, r.value.outbound)) : r;
}

/** History pressed: the conversation's last messages both ways, for its assignee, supervisors and inbox members. */
async function showHistory(ctx: CommandContext, number: number): Promise<Result<CommandOutcome>> {
  const { store } = ctx.deps;
  const found = await conversationOf(ctx, number);
  if (!found.ok) return found;
  const conv = found.value;
  if (!isSupervisor(ctx.caller) && conv.assignee !== ctx.caller.handle) {
    const member = (await store.listMemberships(ctx.caller.handle)).some((m) => m.inbox === conv.inbox);
    if (!member) return err('forbidden', `You are not a member of inbox ${conv.inbox}; ask a supervisor about #${conv.number}.`);
  }
  const messages = await store.listMessages(conv.number);
  const last = messages.slice(-HISTORY_LIMIT);
  const older = messages.length - last.length;
  const lines = last.map((m) => `${m.from === 'customer' ? conv.customer.name : `@${m.handle ?? 'agent'}`}: ${quote(oneLine(m.text), 300)}`);
  const head = `#${conv.number} ${conv.inbox} · ${conv.customer.name} [${conv.status}${conv.assignee ? `, @${conv.assignee}` : ''}]${older > 0 ? ` — last ${last.length} of ${messages.length}` : ''}:`;
  return ok(answered(fitAnswer([head, ...(lines.length ? lines : ['(no messages)'])].join('\n'))));
}

/** The shortcut on a message of a conversation's thread: the conversation's buttons, for the caller. */
async function showActions(ctx: CommandContext, value: string): Promise<Result<CommandOutcome>> {
  const parsed = parseValue(value);
  const conv = parsed ? await ctx.deps.store.getConversation(parsed.number) : await conversationFromContext(ctx.deps, ctx.event);
  if (!conv) return err('invalid_argument', 'This message is not in a conversation thread; use it on a message of a conversation, or type /mine.');
  const holder = conv.status === 'assigned' ? `with @${conv.assignee}` : conv.status;
  return ok({ answer: { text: `#${conv.number} ${conv.inbox} · ${conv.customer.name} (${holder}): what do you want to do?`, buttons: noticeButtons(conv, ctx.caller) }, outbound: [] });
}

export const conversationButtons: ButtonDefinition[] = [
  conversationButton(NOTICE_ACTIONS.claim, '/claim #N', (ctx, n) => runClaim(ctx, { name: 'claim', conversation: n }), (c) => `Claimed by @${c.handle}`),
  conversationButton(
    NOTICE_ACTIONS.unassign,
    '/unassign #N',
    (ctx, n) => runUnassign(ctx, { name: 'unassign', conversation: n, reassign: false }),
    (c) => `Unassigned by @${c.handle}`,
  ),
  conversationButton(NOTICE_ACTIONS.close, '/close #N', (ctx, n) => runClose(ctx, { name: 'close', conversation: n }), (c) => `Closed by @${c.handle}`),
  { action: NOTICE_ACTIONS.history, run: (ctx, value) => { const p = parseValue(value); return p ? showHistory(ctx, p.number) : Promise.resolve(broken('/history #N')); } },
  {
    action: NOTICE_ACTIONS.transfer,
    run: (ctx, value) => {
      const p = parseValue(value);
      return p ? openTransfer(ctx, p.number) : Promise.resolve(broken('/transfer #N @agent'));
    },
    // refused (closed, not yours): the notice shows where it stands; opening the choice changes nothing
    notice: async (ctx, value, result) => (result.ok ? undefined : refreshNotice(() => undefined)(ctx, value, result)),
  },
  { action: TRANSFER_ACTIONS.pick, run: pickTarget },
  {
    action: TRANSFER_ACTIONS.to,
    run: transferTo,
    notice: refreshNotice((c, conv) => (conv.assignee && conv.assignee !== c.handle ? `Transferred to @${conv.assignee} by @${c.handle}` : undefined)),
  },
  {
    action: TRANSFER_ACTIONS.cancel,
    run: (ctx, value) => Promise.resolve(parseValue(value) ? ok(answered(`Transfer of #${parseValue(value)!.number} cancelled; nothing changed.`)) : broken('/transfer #N @agent')),
    notice: async () => ({ status: 'Cancelled', buttons: [] }),
  },
  { action: ACTIONS_SHORTCUT, run: showActions },
];
