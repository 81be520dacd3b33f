import { afterEach, describe, expect, it } from 'vitest';
import { textUpdate } from '../telegram-updates.js';
import { must, person, Switchboard } from './switchboard.js';

describe('Telegram end to end: the webhook through the whole app', () => {
  let sb: Switchboard;
  afterEach(async () => sb?.close());

  it('answers 401 to a wrong or missing secret and nothing happens', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    await sb.addAgent('ann', ann);
    const update = textUpdate(person('Alice'), 'let me in');
    for (const headers of [{ 'x-telegram-bot-api-secret-token': 'guess' }, {}] as Record<string, string>[]) {
      const res = await fetch(`${sb.base}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(401);
    }
    await sb.settle();
    expect(must(await sb.core.listConversations({})).items).toHaveLength(0);
    expect(sb.delivered(ann)).toEqual([]);
    // The same update with the right secret is still new: it was never recorded.
    await sb.post(update);
    await sb.received(ann, 'let me in');
  });

  it('publishes the command menu at start', async () => {
    sb = await Switchboard.start();
    expect(sb.api.callsOf('setMyCommands')).toHaveLength(1);
  });

  it('the Unassign button on a notice unassigns the conversation', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    await sb.addAgent('ann', ann);
    await sb.say(person('Alice'), 'hi');
    const notice = await sb.received(ann, 'New conversation');
    const button = (notice.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat().find((b) => b.text === 'Unassign')!;
    expect(button.callback_data).toBe('unassign:1');
    const press = {
      update_id: 900_001,
      callback_query: {
        id: 'cb-1',
        from: { id: ann.id, is_bot: false, first_name: 'Ann' },
        chat_instance: '1',
        data: button.callback_data,
        message: { message_id: (notice.result as { message_id: number }).message_id, date: 0, chat: { id: ann.id, type: 'private' } },
      },
    };
    await sb.post(press);
    await sb.api.waitForCall('answerCallbackQuery', (p) => p.callback_query_id === 'cb-1');
    await sb.received(ann, /^Unassigned #1\./);
    expect((await sb.conversation(1)).status).toBe('unassigned');
  });
});
