import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';

/** The fake must read every body telegraf may send: JSON, and multipart/form-data for uploads. */
describe('fake Bot API', () => {
  let api: FakeTelegramApi;
  afterEach(async () => api?.close());

  const call = (method: string, init: RequestInit) => fetch(`${api.apiRoot}/bot${api.token}/${method}`, { method: 'POST', ...init });

  it('records multipart/form-data fields and files, and parses JSON fields in them', async () => {
    api = await startFakeTelegramApi();
    const form = new FormData();
    form.set('chat_id', '42');
    form.set('caption', 'a photo');
    form.set('reply_markup', JSON.stringify({ inline_keyboard: [[{ text: 'Claim', callback_data: 'claim:1' }]] }));
    form.set('photo', new Blob([new Uint8Array(300)]), 'p.jpg');
    const res = await call('sendPhoto', { body: form });
    expect(res.status).toBe(200);
    expect(api.calls[0]?.params).toMatchObject({
      chat_id: '42',
      caption: 'a photo',
      reply_markup: { inline_keyboard: [[{ text: 'Claim', callback_data: 'claim:1' }]] },
      photo: { filename: 'p.jpg', size: 300 },
    });
  });

  it('records url-encoded bodies and refuses a wrong token', async () => {
    api = await startFakeTelegramApi();
    await call('sendChatAction', { body: new URLSearchParams({ chat_id: '7', action: 'typing' }) });
    expect(api.callsOf('sendChatAction')[0]?.params).toEqual({ chat_id: '7', action: 'typing' });
    const wrong = await fetch(`${api.apiRoot}/bot1:nope/getMe`, { method: 'POST' });
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  });

  it('numbers messages per chat and answers 429 once when told', async () => {
    api = await startFakeTelegramApi();
    const json = (body: object) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    api.rateLimitOnce(3);
    const limited = await (await call('sendMessage', json({ chat_id: 1, text: 'a' }))).json();
    expect(limited).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
    const ids: number[] = [];
    for (const chat of [1, 1, 2]) {
      const body = (await (await call('sendMessage', json({ chat_id: chat, text: 'x' }))).json()) as { result: { message_id: number } };
      ids.push(body.result.message_id);
    }
    expect(ids).toEqual([1, 2, 1]);
  });

  it('refuses what the real Bot API refuses: empty or over-long texts, over-long callback data', async () => {
    api = await startFakeTelegramApi();
    const json = (body: object) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const send = async (body: object) => (await call('sendMessage', json(body))).json();
    expect(await send({ chat_id: 1, text: ' \n ' })).toEqual({ ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    expect(await send({ chat_id: 1, text: 'x'.repeat(4097) })).toEqual({ ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    const button = (data: string) => ({ chat_id: 1, text: 'ok', reply_markup: { inline_keyboard: [[{ text: 'B', callback_data: data }]] } });
    expect(await send(button('é'.repeat(33)))).toEqual({ ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    expect(await send(button('claim:1'))).toMatchObject({ ok: true });
    expect(await send({ chat_id: 1, text: 'y'.repeat(4096) })).toMatchObject({ ok: true });
  });
});
