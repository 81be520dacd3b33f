import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../fakes/slack-api.js';

/** The fake Web API must refuse what Slack refuses, or tests pass against messages Slack would never show. */
describe('fake Slack Web API', () => {
  let api: FakeSlackApi;
  afterEach(async () => api?.close());

  const post = async (method: string, body: object) => {
    const res = await fetch(`${api.url}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { ok: boolean; error?: string };
  };
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const button = (action_id: string, text = 'Go', value = 'v') => ({ type: 'button', action_id, value, text: { type: 'plain_text', text } });

  it('refuses a message without text or blocks, and a text over 40,000 characters', async () => {
    api = await new FakeSlackApi().start();
    expect(await post('chat.postMessage', { channel: 'C1', text: '' })).toEqual({ ok: false, error: 'no_text' });
    expect(await post('chat.postEphemeral', { channel: 'C1', user: 'U1', text: '' })).toEqual({ ok: false, error: 'no_text' });
    expect(await post('chat.postMessage', { channel: 'C1', text: 'x'.repeat(40_001) })).toEqual({ ok: false, error: 'msg_too_long' });
    expect(await post('chat.postMessage', { channel: 'C1', text: 'x'.repeat(40_000) })).toMatchObject({ ok: true });
  });

  it('refuses blocks beyond Block Kit limits', async () => {
    api = await new FakeSlackApi().start();
    const postBlocks = (blocks: object[]) => post('chat.postMessage', { channel: 'C1', text: 'fallback', blocks });
    expect(await postBlocks([section('x'.repeat(3001))])).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await postBlocks(Array.from({ length: 51 }, () => section('x')))).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await postBlocks([{ type: 'actions', elements: [button('claim'), button('claim')] }])).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await postBlocks([{ type: 'actions', elements: [button('claim', 'x'.repeat(76))] }])).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await postBlocks([{ type: 'actions', elements: [button('claim', 'Go', 'v'.repeat(2001))] }])).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await postBlocks([section('x'.repeat(3000)), { type: 'actions', elements: [button('claim'), button('unassign')] }])).toMatchObject({ ok: true });
  });
});
