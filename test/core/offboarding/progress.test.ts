import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/core/index.js';
import { wrapStore as wrapMethods } from '../../support/store-wrappers.js';
import { codeOf, press, team } from './setup.js';

/**
 * A store whose conversation writes take `ms` each on the harness clock (no real waiting): the
 * offboarding of n conversations then lasts about n × ms.
 */
function slowMoves() {
  const pace = { ms: 0, advance: (_ms: number) => {} };
  const wrapStore = (inner: Store): Store =>
    wrapMethods(inner, (method, call) =>
      method === 'updateConversation'
        ? async (...args) => {
            const r = await call(...args);
            pace.advance(pace.ms);
            return r;
          }
        : undefined,
    );
  return { pace, wrapStore };
}

async function slowTeam(n: number, msPerMove: number) {
  const { pace, wrapStore } = slowMoves();
  const h = await team(n, { core: { wrapStore } });
  pace.advance = (ms) => h.clock.advance(ms);
  pace.ms = msPerMove;
  return h;
}

const working = (texts: string[]) => texts.filter((t) => t.startsWith('Offboarding @alex:'));

describe('an offboarding that takes long tells the supervisor it is working', () => {
  it('says once, in the supervisor chat, that it is handing over the conversations, then answers with the summary', async () => {
    const h = await slowTeam(10, 300); // about 3 s
    const sam = await h.chatOf('sam');
    const code = codeOf(await h.command('sam', '/offboard @alex'));
    h.telegram.clear();
    const summary = await h.command('sam', `/offboard confirm ${code}`);
    expect(summary).toContain('10/10 reassigned, 0 left unassigned');
    expect(working(h.telegram.texts(sam))).toEqual(['Offboarding @alex: handing over 10 conversations… The summary follows when it is done.']);
    // it came before the receivers' digests, which go out with the summary
    const order = h.telegram.sent.map((m) => (m.to.chatId === sam ? 'working' : 'other'));
    expect(order[0]).toBe('working');
    h.clock.advance(60_000);
    expect(working(h.telegram.texts(sam))).toHaveLength(1);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('says nothing extra when it is done within 2 s', async () => {
    const h = await slowTeam(10, 150); // about 1.5 s
    const sam = await h.chatOf('sam');
    const code = codeOf(await h.command('sam', '/offboard @alex'));
    h.telegram.clear();
    expect(await h.command('sam', `/offboard confirm ${code}`)).toContain('10/10 reassigned');
    h.clock.advance(60_000);
    expect(h.telegram.texts(sam)).toEqual([]);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('tells it the same way when the Confirm button is pressed', async () => {
    const h = await slowTeam(8, 400);
    const sam = await h.chatOf('sam');
    const code = codeOf(await h.command('sam', '/offboard @alex --suspend'));
    h.telegram.clear();
    const answer = await press(h, 'sam', 'offboard-confirm', code);
    expect(answer!.text).toContain('8/8 reassigned');
    expect(working(h.telegram.texts(sam))).toEqual(['Offboarding @alex: handing over 8 conversations… The summary follows when it is done.']);
  });

  it('on Slack, a confirmation typed in a channel is followed up in a direct message, not in the channel', async () => {
    const h = await slowTeam(10, 300);
    await h.core.createAgent({ handle: 'sia', name: 'Sia', role: 'supervisor', slackUserId: 'U0SIA', homePlatform: 'slack' });
    const slash = async (deliveryId: string, text: string) =>
      (
        await h.core.handleInbound({
          platform: 'slack',
          deliveryId,
          kind: 'command',
          command: 'offboard',
          sender: { id: 'U0SIA', name: 'sia' },
          chat: { id: 'C0TEAM', isDirect: false },
          text,
        })
      ).answer?.text ?? '';
    const code = codeOf(await slash('s1', '@alex'));
    expect(await slash('s2', `confirm ${code}`)).toContain('10/10 reassigned');
    expect(h.slack.sent.filter((m) => m.to.chatId === 'C0TEAM')).toEqual([]);
    expect(working(h.slack.texts('U0SIA'))).toEqual(['Offboarding @alex: handing over 10 conversations… The summary follows when it is done.']);
  });

  it('a refused confirmation sets no timer and sends nothing', async () => {
    const h = await slowTeam(4, 1000);
    const sue = await h.chatOf('sue');
    const code = codeOf(await h.command('sam', '/offboard @alex'));
    h.telegram.clear();
    expect(await h.command('sue', `/offboard confirm ${code}`)).toBe('Only @sam, who asked for this preview, can confirm it.');
    expect(h.clock.pendingTimers).toBe(0);
    expect(h.telegram.texts(sue)).toEqual([]);
    expect(await h.assigneeOf(1)).toBe('alex');
  });
});

describe('confirming by the admin API', () => {
  it('answers "running" with the working line after 2 s, carries on, and has the summary later', async () => {
    const h = await slowTeam(10, 300);
    const preview = await h.core.offboardAgent('alex', {});
    if (!preview.ok) throw new Error(preview.error.message);
    const started = await h.core.confirmOffboarding(preview.value.code);
    expect(started).toEqual({
      ok: true,
      value: {
        code: preview.value.code,
        agent: 'alex',
        state: 'running',
        summary: null,
        message: 'Offboarding @alex: handing over 10 conversations… The summary follows when it is done.',
      },
    });
    // the admin API has no chat: nothing is sent for it
    expect(h.telegram.sent.filter((m) => m.text.startsWith('Offboarding @alex:'))).toEqual([]);
    await expect.poll(async () => (await h.core.getOffboarding(preview.value.code)).ok && (await h.core.getOffboarding(preview.value.code))).toMatchObject({
      value: { state: 'done', summary: expect.stringContaining('10/10 reassigned, 0 left unassigned') },
    });
    expect((await h.store.listAssigned('alex')).length).toBe(0);
    const digests = h.telegram.sent.filter((m) => m.text.includes('conversation(s) of @alex'));
    expect(digests.length).toBeGreaterThan(0);
  });

  it('answers with the summary when it is done within 2 s', async () => {
    const h = await slowTeam(4, 100);
    const preview = await h.core.offboardAgent('alex', {});
    if (!preview.ok) throw new Error(preview.error.message);
    const done = await h.core.confirmOffboarding(preview.value.code);
    expect(done.ok && done.value).toMatchObject({ state: 'done', summary: expect.stringContaining('4/4 reassigned') });
    expect(done.ok && 'message' in done.value).toBe(false);
  });

  it('reads back where an offboarding stands, and an unknown code is not found', async () => {
    const h = await slowTeam(2, 0);
    const preview = await h.core.offboardAgent('alex', {});
    if (!preview.ok) throw new Error(preview.error.message);
    expect(await h.core.getOffboarding(preview.value.code)).toMatchObject({ ok: true, value: { state: 'pending', summary: null } });
    const unknown = await h.core.getOffboarding('NOPE42');
    expect(unknown.ok || unknown.error.code).toBe('offboarding_not_found');
    const junk = await h.core.getOffboarding('../../x');
    expect(junk.ok || junk.error.code).toBe('offboarding_not_found');
  });
});
