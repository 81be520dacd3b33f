import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/core-harness.js';
import { codeOf, holders } from './setup.js';

describe("long offboardings fit the platform's messages", () => {
  it('keeps the confirmation line in a preview with 150 inboxes and 300 receivers, and splits digests', async () => {
    const h = makeCore();
    await h.agent('alex', { capacity: 1000 });
    await h.agent('sam', { role: 'supervisor' });
    const now = h.clock.now();
    let customer = 0;
    for (let i = 0; i < 150; i++) {
      const inbox = `customer-support-region-number-${i}`;
      await h.store.createInbox({ name: inbox, platform: 'slack', slackChannelId: `C${i}`, strategy: 'round-robin', paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: now });
      await h.store.addMember(inbox, 'alex', now);
      for (const k of [0, 1]) {
        const handle = `agent-with-a-long-handle-${2 * i + k}`;
        await h.agent(handle, { capacity: 1000 });
        await h.store.addMember(inbox, handle, now);
      }
      for (let j = 0; j < 4; j++) {
        const c = `cust${++customer}`;
        const { conversation } = await h.store.openConversation(inbox, { platform: 'slack', id: c, name: `A customer with a long display name ${c}`, chatId: `C${i}`, threadId: `${c}.1` }, now);
        await h.store.reserveSlot('alex', { requireOnline: false, ignoreCapacity: true });
        await h.store.updateConversation(conversation.number, { status: ['queued'] }, { status: 'assigned', assignee: 'alex', lastMessageText: 'x'.repeat(300) });
      }
    }
    const preview = await h.command('sam', '/offboard @alex --suspend');
    expect(preview.length).toBeLessThanOrEqual(4096);
    expect(preview).toMatch(/Plan: 600 conversations: @agent-with-a-long-handle-\d+ 2, .* … and \d+ more, 0 unassigned/);
    expect(preview).toMatch(/• customer-support-region-number-\d+: 4 open\n… and \d+ more/);
    const summary = await h.command('sam', `/offboard confirm ${codeOf(preview)}`);
    expect(summary.length).toBeLessThanOrEqual(4096);
    expect(summary).toContain('600/600 reassigned, 0 left unassigned');
    expect(Object.keys(await holders(h))).toHaveLength(300);

    // all come back, then go to one receiver: the digest carries every conversation, split into
    // as many messages as it takes, each within the platform's limit
    expect(await h.command('sam', '/reinstate @alex')).toContain('600/600 conversation(s) came back');
    expect(await holders(h)).toEqual({ alex: 600 });
    const bulk = codeOf(await h.command('sam', '/offboard @alex --to @agent-with-a-long-handle-1'));
    h.telegram.clear();
    await h.command('sam', `/offboard confirm ${bulk}`);
    const digests = h.telegram.texts(await h.chatOf('agent-with-a-long-handle-1'));
    expect(digests.length).toBeGreaterThan(1);
    for (const d of digests) expect(d.length).toBeLessThanOrEqual(4096);
    expect(digests[0]).toMatch(/^@sam handed you 600 conversation\(s\) of @alex, who is disabled:\n#1 customer-support-region-number-0 · A customer with a long display name cust1: x{300}\n/);
    for (const d of digests.slice(1)) expect(d).toMatch(/^\(continued: conversations of @alex handed to you\)\n#\d+ /);
    const all = digests.join('\n');
    for (let n = 1; n <= 600; n++) expect(all).toContain(`\n#${n} customer-support-region-number-`);
    expect(digests.at(-1)).toMatch(/\nThey are yours now/);
  });
});
