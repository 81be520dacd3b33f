import { capabilitiesOf, type CoreDeps } from '../deps.js';
import { hasAccess, type Agent } from '../model/agent.js';
import type { InboundEvent, InboundResult } from '../ports/inbound.js';
import type { OutboundMessage } from '../ports/outbound.js';
import type { Result } from '../errors.js';
import { deliverAll } from '../delivery/deliver.js';
import { forDelivery } from '../delivery/courier.js';
import { fitAnswer } from '../delivery/notices.js';
import { CATALOGUE } from '../features.js';
import { runAgentButton, runAgentCommand } from '../commands/run-command.js';
import { CUSTOMER_GREETING } from '../commands/help-command.js';
import type { CommandOutcome } from '../commands/context.js';
import { handleAgentReply } from './agent-reply.js';
import { handleCustomerMessage, inboxFor } from './customer-message.js';
import { linkTelegramAccount } from './link-account.js';
import { isInviteCode } from '../admin/invite-code.js';


const revoked = (a: Agent) => `Your access is revoked (${a.status}); ask a supervisor.`;

/**
 * The only door for platform deliveries: dedupe, find who wrote, and act. The delivery is marked
 * handled only after its effects: a handling that fails leaves it to be handled again (the
 * platform's redelivery, or the intake at the next start), and the messages it already sent are
 * recognised by their keys and not sent twice. Being redone after a failure, the handling uses the
 * store's deferred view: its writes need to be durable only before something leaves the process.
 * A send flushes them (the courier), and so does this function before it returns an answer or a
 * notice for the adapter to send. A result with nothing to send needs no wait: the update is kept
 * by the intake, whose drop of it is written after these writes (stores that write in order), so
 * a crash before they reach the disk leaves the update to be handled again.
 */
export async function handleInbound(deps: CoreDeps, event: InboundEvent): Promise<InboundResult> {
  const result = await handleOnce({ ...deps, store: deps.store.deferred() }, event);
  if (result.answer !== undefined || result.notice !== undefined) await deps.store.flush();
  return result;
}

async function handleOnce(deps: CoreDeps, event: InboundEvent): Promise<InboundResult> {
  const { store, clock } = deps;
  if (await store.isHandled(event.deliveryId)) {
    deps.logger.debug({ platform: event.platform, delivery: event.deliveryId }, 'duplicate delivery ignored');
    return { duplicate: true };
  }
  // every message sent while handling it is keyed by this delivery (see forDelivery)
  const result = await act({ ...deps, courier: forDelivery(deps.courier, event.deliveryId) }, event);
  if (!(await store.recordDelivery(event.deliveryId, clock.now()))) {
    // handled meanwhile by another process (its effects were recognised by their keys)
    deps.logger.debug({ platform: event.platform, delivery: event.deliveryId }, 'delivery handled twice at once');
  }
  return result;
}

async function act(deps: CoreDeps, event: InboundEvent): Promise<InboundResult> {
  const { store } = deps;
  const agent = await store.findAgentByIdentity(event.platform, event.sender.id);
  switch (event.kind) {
    case 'command':
      return { duplicate: false, answer: await command(deps, event, agent) };
    case 'button': {
      if (!agent) return { duplicate: false, answer: { text: 'Only agents can use these buttons.' } };
      const ctx = { deps, caller: agent, event, catalogue: CATALOGUE };
      const action = event.button?.action ?? '';
      const value = event.button?.value ?? '';
      const r = await runAgentButton(ctx, action, value);
      // the label is the registered action or 'unknown': button data never becomes a metric label
      const label = CATALOGUE.button(action) ? `button:${action}` : 'button:unknown';
      const answer = await finish(deps, label, r);
      const def = hasAccess(agent) ? CATALOGUE.button(action) : null;
      const notice = def?.notice ? await def.notice(ctx, value, r) : undefined;
      return { duplicate: false, answer, refused: !r.ok, notice };
    }
    case 'message': {
      if (agent) {
        if (agent.status !== 'active') return { duplicate: false, answer: event.chat.isDirect || event.threadId ? { text: revoked(agent) } : undefined };
        const line = await handleAgentReply(deps, agent, event);
        return { duplicate: false, answer: line ? { text: line } : undefined };
      }
      const inbox = await inboxFor(deps, event);
      if (!inbox) {
        deps.logger.debug({ platform: event.platform, chat: event.chat.id }, 'message outside any inbox ignored');
        return { duplicate: false };
      }
      await deliverAll(deps, await handleCustomerMessage(deps, event, inbox));
      return { duplicate: false };
    }
  }
}

async function command(deps: CoreDeps, event: InboundEvent, agent: Agent | null) {
  const name = CATALOGUE.find(event.command ?? '')?.name ?? event.command ?? '';
  const code = event.text.trim();
  // `/start CODE` links an account when CODE looks like an invite (or an agent types it); other deep-link
  // payloads from customers (?start=promo) just get the greeting.
  if (name === 'start' && capabilitiesOf(deps, event.platform).startCodes && code && (agent || isInviteCode(code))) {
    deps.metrics.inc('commands', { command: 'start', outcome: 'ok' });
    return { text: await linkTelegramAccount(deps, event, code, agent) };
  }
  if (!agent) {
    const greeting = name === 'start' || name === 'help';
    deps.metrics.inc('commands', { command: greeting ? name : 'other', outcome: greeting ? 'ok' : 'refused' });
    return { text: greeting ? CUSTOMER_GREETING : 'Commands are for agents of this team. Just write your message and we will answer.' };
  }
  const r = await runAgentCommand({ deps, caller: agent, event, catalogue: CATALOGUE }, event.command ?? '', event.text);
  return finish(deps, CATALOGUE.find(event.command ?? '')?.name ?? 'unknown', r);
}

async function finish(deps: CoreDeps, label: string, r: Result<CommandOutcome>) {
  if (!r.ok) {
    deps.metrics.inc('commands', { command: label, outcome: r.error.code });
    return { text: fitAnswer(r.error.message) };
  }
  deps.metrics.inc('commands', { command: label, outcome: 'ok' });
  await deliverAll(deps, r.value.outbound as OutboundMessage[]);
  return { ...r.value.answer, text: fitAnswer(r.value.answer.text) };
}
