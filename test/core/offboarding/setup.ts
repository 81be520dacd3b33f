import { expect } from 'vitest';
import type { Answer, InboundEvent } from '../../../src/core/index.js';
import { makeCore, type CoreHarness, type CoreOptions } from '../../support/core-harness.js';

/**
 * A team on the in-process core: @alex holds conversations #1..#n in inbox `support`, whose other
 * members (@amanda, @mathew, @geraldine) are online with nothing; @sam and @sue are supervisors,
 * @boss is the only admin; @olga is online but in no inbox.
 */
export async function team(n = 10, opts: { members?: string[]; core?: CoreOptions } = {}): Promise<CoreHarness> {
  const h = makeCore(opts.core);
  await h.agent('alex', { capacity: Math.max(10, n) });
  for (const a of ['amanda', 'mathew', 'geraldine', 'olga']) await h.agent(a, { availability: 'offline' });
  await h.agent('sam', { role: 'supervisor', availability: 'offline' });
  await h.agent('sue', { role: 'supervisor', availability: 'offline' });
  await h.agent('boss', { role: 'admin', availability: 'offline' });
  await h.inbox('support', ['alex', ...(opts.members ?? ['amanda', 'mathew', 'geraldine'])]);
  for (let i = 1; i <= n; i++) await h.customerSays(`c${i}`, `question ${i}`);
  for (const a of ['amanda', 'mathew', 'geraldine', 'olga']) await h.core.updateAgent(a, { availability: 'online' });
  expect((await h.store.listAssigned('alex')).length).toBe(n);
  h.telegram.clear();
  return h;
}

export function codeOf(preview: string): string {
  const m = preview.match(/\/offboard confirm ([A-Z0-9]+)/);
  if (!m) throw new Error(`no code in preview:\n${preview}`);
  return m[1]!;
}

/** Preview and confirm; returns both answers. */
export async function offboard(h: CoreHarness, by: string, args: string): Promise<{ preview: string; summary: string; code: string }> {
  const preview = await h.command(by, `/offboard ${args}`);
  const code = codeOf(preview);
  const summary = await h.command(by, `/offboard confirm ${code}`);
  return { preview, summary, code };
}

/** Open conversations per holder (null = queued or unassigned). */
export async function holders(h: CoreHarness): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of (await h.store.listConversations({}, { limit: 10_000 })).items) {
    if (c.status === 'closed') continue;
    const k = c.assignee ?? 'queued';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Every agent's openCount equals what they hold. */
export async function expectConsistentLoad(h: CoreHarness): Promise<void> {
  for (const a of (await h.store.listAgents({ limit: 100 })).items) {
    expect({ handle: a.handle, openCount: a.openCount }).toEqual({ handle: a.handle, openCount: (await h.store.listAssigned(a.handle)).length });
  }
}

export async function offboardEvents(h: CoreHarness, conversation: number) {
  return (await h.store.listHistory({ conversation }, { limit: 100 })).items.filter((e) => e.offboarding !== undefined);
}

let presses = 0;
/** A supervisor presses a button in their Telegram chat. */
export async function press(h: CoreHarness, handle: string, action: string, value: string): Promise<Answer | undefined> {
  const chat = await h.chatOf(handle);
  const event: InboundEvent = {
    platform: 'telegram',
    deliveryId: `press:${++presses}`,
    kind: 'button',
    sender: { id: chat, name: handle },
    chat: { id: chat, isDirect: true },
    text: '',
    button: { action, value },
  };
  return (await h.core.handleInbound(event)).answer;
}
