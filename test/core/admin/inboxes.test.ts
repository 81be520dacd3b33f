import { describe, expect, it } from 'vitest';
import { failure, harness, value } from './setup.js';

describe('creating inboxes', () => {
  it('fills in the defaults and reads back with members', async () => {
    const { admin, clock } = harness();
    expect(value(await admin.createInbox({ name: 'support', platform: 'telegram' }))).toEqual({
      name: 'support',
      platform: 'telegram',
      slackChannelId: null,
      strategy: 'round-robin',
      paused: false,
      responseTimeoutSec: 600,
      maxRedirects: 3,
      fallbackAgent: null,
      members: [],
      createdAt: clock.now().toISOString(),
    });
    const slack = value(
      await admin.createInbox({
        name: 'sales',
        platform: 'slack',
        slackChannelId: 'C0123',
        strategy: 'least-busy',
        paused: true,
        responseTimeoutSec: 0,
        maxRedirects: 0,
      }),
    );
    expect(slack).toMatchObject({ slackChannelId: 'C0123', strategy: 'least-busy', paused: true, responseTimeoutSec: 0, maxRedirects: 0 });
    expect(value(await admin.getInbox('sales'))).toEqual(slack);
  });

  it.each([
    [{ platform: 'telegram' }, 'name', /name is missing: send lower-case letters, digits and "-"/],
    [{ name: 'Support', platform: 'telegram' }, 'name', /lower-case/],
    [{ name: 'sup_port', platform: 'telegram' }, 'name', /"-"/],
    [{ name: 'support' }, 'platform', /platform is missing/],
    [{ name: 'support', platform: 'email' }, 'platform', /telegram, slack/],
    [{ name: 'support', platform: 'slack', slackChannelId: 'general' }, 'slackChannelId', /C0123ABCD/],
    [{ name: 'support', platform: 'telegram', slackChannelId: 'C1' }, 'slackChannelId', /only for Slack/],
    [{ name: 'support', platform: 'telegram', strategy: 'random' }, 'strategy', /round-robin, least-busy/],
    [{ name: 'support', platform: 'telegram', paused: 'no' }, 'paused', /true or false/],
    [{ name: 'support', platform: 'telegram', responseTimeoutSec: -1 }, 'responseTimeoutSec', /from 0 to/],
    [{ name: 'support', platform: 'telegram', responseTimeoutSec: 'soon' }, 'responseTimeoutSec', /number of seconds/],
    [{ name: 'support', platform: 'telegram', responseTimeoutSec: 40_000_000 }, 'responseTimeoutSec', /31536000/],
    [{ name: 'support', platform: 'telegram', maxRedirects: 101 }, 'maxRedirects', /0 to 100/],
    [{ name: 'support', platform: 'telegram', members: [] }, 'members', /Unknown field "members"/],
  ])('refuses %j naming the field', async (body, field, message) => {
    const { admin, store } = harness();
    const error = failure(await admin.createInbox(body));
    expect(error).toMatchObject({ code: 'invalid_argument', field });
    expect(error.message).toMatch(message);
    expect(await store.getInbox('support')).toBeNull();
  });

  it('wants an existing, not removed fallback agent', async () => {
    const { admin, store } = harness();
    expect(failure(await admin.createInbox({ name: 'support', platform: 'telegram', fallbackAgent: 'ghost' }))).toMatchObject({
      code: 'agent_not_found',
      field: 'fallbackAgent',
    });
    value(await admin.createAgent({ handle: 'gone', name: 'G' }));
    await store.updateAgent('gone', { status: 'removed' });
    expect(failure(await admin.createInbox({ name: 'support', platform: 'telegram', fallbackAgent: 'gone' }))).toMatchObject({
      code: 'conflict',
      field: 'fallbackAgent',
    });
    value(await admin.createAgent({ handle: 'boss', name: 'B', role: 'supervisor' }));
    expect(value(await admin.createInbox({ name: 'support', platform: 'telegram', fallbackAgent: 'boss' })).fallbackAgent).toBe('boss');
  });

  it('answers conflict for a taken name or an entry point another inbox already receives', async () => {
    const { admin } = harness();
    value(await admin.createInbox({ name: 'support', platform: 'telegram' }));
    value(await admin.createInbox({ name: 'sales', platform: 'slack', slackChannelId: 'C1' }));
    value(await admin.createInbox({ name: 'dm', platform: 'slack' }));
    expect(failure(await admin.createInbox({ name: 'support', platform: 'slack', slackChannelId: 'C9' }))).toMatchObject({
      code: 'conflict',
      field: 'name',
    });
    expect(failure(await admin.createInbox({ name: 'second-bot', platform: 'telegram' }))).toMatchObject({ code: 'conflict', field: 'platform' });
    expect(failure(await admin.createInbox({ name: 'sales-2', platform: 'slack', slackChannelId: 'C1' }))).toMatchObject({
      code: 'conflict',
      field: 'slackChannelId',
    });
    expect(failure(await admin.createInbox({ name: 'dm-2', platform: 'slack' }))).toMatchObject({ code: 'conflict', field: 'slackChannelId' });
    expect(value(await admin.createInbox({ name: 'sales-2', platform: 'slack', slackChannelId: 'C2' })).slackChannelId).toBe('C2');
  });
});

describe('updating inboxes', () => {
  it('changes what is sent and clears the fallback with null', async () => {
    const { admin } = harness();
    value(await admin.createAgent({ handle: 'boss', name: 'B' }));
    value(await admin.createInbox({ name: 'support', platform: 'telegram', fallbackAgent: 'boss' }));
    const updated = value(await admin.updateInbox('support', { responseTimeoutSec: 120, maxRedirects: 5, fallbackAgent: null }));
    expect(updated).toMatchObject({ responseTimeoutSec: 120, maxRedirects: 5, fallbackAgent: null, strategy: 'round-robin' });
  });

  it('calls back when the inbox resumes or its strategy changes, not when it pauses', async () => {
    const { admin, inboxChanges } = harness();
    value(await admin.createInbox({ name: 'support', platform: 'telegram' }));
    value(await admin.updateInbox('support', { paused: true }));
    value(await admin.updateInbox('support', { responseTimeoutSec: 60 }));
    value(await admin.updateInbox('support', { strategy: 'round-robin' }));
    expect(inboxChanges).toEqual([]);
    value(await admin.updateInbox('support', { paused: false }));
    value(await admin.updateInbox('support', { strategy: 'least-busy' }));
    expect(inboxChanges).toEqual(['support', 'support']);
  });

  it('refuses name and platform changes, Slack channels on Telegram, and unknown inboxes', async () => {
    const { admin } = harness();
    value(await admin.createInbox({ name: 'support', platform: 'telegram' }));
    expect(failure(await admin.updateInbox('support', { name: 'help' }))).toMatchObject({ code: 'invalid_argument', field: 'name' });
    expect(failure(await admin.updateInbox('support', { platform: 'slack' }))).toMatchObject({ field: 'platform' });
    expect(failure(await admin.updateInbox('support', { slackChannelId: 'C1' }))).toMatchObject({ field: 'slackChannelId' });
    expect(failure(await admin.updateInbox('support', { fallbackAgent: 'ghost' }))).toMatchObject({
      code: 'agent_not_found',
      field: 'fallbackAgent',
    });
    expect(failure(await admin.updateInbox('nowhere', { paused: true }))).toMatchObject({ code: 'inbox_not_found', field: 'name' });
    expect(failure(await admin.getInbox('nowhere'))).toMatchObject({ code: 'inbox_not_found' });
  });

  it('moves a Slack inbox to a free channel only', async () => {
    const { admin } = harness();
    value(await admin.createInbox({ name: 'sales', platform: 'slack', slackChannelId: 'C1' }));
    value(await admin.createInbox({ name: 'help', platform: 'slack', slackChannelId: 'C2' }));
    expect(failure(await admin.updateInbox('sales', { slackChannelId: 'C2' }))).toMatchObject({ code: 'conflict', field: 'slackChannelId' });
    expect(value(await admin.updateInbox('sales', { slackChannelId: 'C1' })).slackChannelId).toBe('C1');
    expect(value(await admin.updateInbox('sales', { slackChannelId: 'C3' })).slackChannelId).toBe('C3');
  });
});
