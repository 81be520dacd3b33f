import { describe, expect, it } from 'vitest';
import { classifyBlockAction, classifyMessageEvent, classifySlashCommand } from '../../../adapters/slack/classify-event.js';

const BOT = 'UB0TUSER01';

function envelope(event: Record<string, unknown>, eventId = 'Ev0001') {
  return { type: 'event_callback', event_id: eventId, event: { type: 'message', ts: '1767258000.000100', ...event } };
}

describe('classifyMessageEvent', () => {
  it('turns a top-level channel message into a message event keyed by event_id', () => {
    const ev = classifyMessageEvent(envelope({ user: 'U0CUST0001', channel: 'C0SUPPORT1', channel_type: 'channel', text: 'my order is late' }), BOT);
    expect(ev).toEqual({
      platform: 'slack',
      deliveryId: 'slack:evt:Ev0001',
      kind: 'message',
      sender: { id: 'U0CUST0001', name: 'U0CUST0001' },
      chat: { id: 'C0SUPPORT1', isDirect: false },
      messageId: '1767258000.000100',
      threadId: undefined,
      text: 'my order is late',
      attachment: undefined,
    });
  });

  it('marks a DM to the app as direct', () => {
    const ev = classifyMessageEvent(envelope({ user: 'U0CUST0001', channel: 'D0DM000001', channel_type: 'im', text: 'hi' }), BOT);
    expect(ev?.chat).toEqual({ id: 'D0DM000001', isDirect: true });
  });

  it('carries thread_ts of a thread reply as threadId', () => {
    const ev = classifyMessageEvent(
      envelope({ user: 'U0AGENT001', channel: 'D0AGENT001', channel_type: 'im', text: 'on it', ts: '1767258100.000200', thread_ts: '1767258000.000100' }),
      BOT,
    );
    expect(ev?.threadId).toBe('1767258000.000100');
    expect(ev?.messageId).toBe('1767258100.000200');
  });

  it('uses the profile name Slack included with the event', () => {
    const ev = classifyMessageEvent(envelope({ user: 'U0CUST0001', channel: 'C1', channel_type: 'channel', text: 'x', user_profile: { display_name: 'Ana', real_name: 'Ana B' } }));
    expect(ev?.sender.name).toBe('Ana');
  });

  it('turns Slack markup into the text the person typed', () => {
    const ev = classifyMessageEvent(envelope({ user: 'U1', channel: 'C1', text: 'a &lt;b&gt; &amp; <https://x.io/a|the link> <@U0AGENT001>' }));
    expect(ev?.text).toBe('a <b> & the link (https://x.io/a) <@U0AGENT001>');
  });

  it('classifies a shared image as a photo and a PDF as a document, caption as text', () => {
    const photo = classifyMessageEvent(envelope({ subtype: 'file_share', user: 'U1', channel: 'C1', text: 'see this', files: [{ mimetype: 'image/png' }] }));
    expect(photo).toMatchObject({ attachment: 'photo', text: 'see this' });
    const doc = classifyMessageEvent(envelope({ subtype: 'file_share', user: 'U1', channel: 'C1', text: '', files: [{ mimetype: 'application/pdf' }] }));
    expect(doc).toMatchObject({ attachment: 'document', text: '' });
  });

  it('also sees files on a message that carries them without the file_share subtype', () => {
    // Slack's own typing (GenericMessageEvent.files) and payloads reported by users: files on a plain message.
    const withText = classifyMessageEvent(envelope({ user: 'U1', channel: 'C1', text: 'Hi', files: [{ mimetype: 'image/jpeg', name: 'part.jpg' }] }));
    expect(withText).toMatchObject({ kind: 'message', attachment: 'photo', text: 'Hi' });
    const fileOnly = classifyMessageEvent(envelope({ user: 'U1', channel: 'D1', channel_type: 'im', text: '', files: [{ mimetype: 'text/plain', name: 'log.txt' }] }));
    expect(fileOnly).toMatchObject({ kind: 'message', attachment: 'document', text: '' });
  });

  it.each([
    ['a bot message (bot_id)', { user: 'U1', bot_id: 'B0OTHER001', channel: 'C1', text: 'x' }],
    ['subtype bot_message', { subtype: 'bot_message', bot_id: 'B1', channel: 'C1', text: 'x' }],
    ["the app's own message", { user: BOT, channel: 'D1', text: 'Conversation #4 assigned' }],
    ['an edit', { subtype: 'message_changed', channel: 'C1', message: { user: 'U1', text: 'y' } }],
    ['a deletion', { subtype: 'message_deleted', channel: 'C1', deleted_ts: '1.2' }],
    ['a channel join', { subtype: 'channel_join', user: 'U1', channel: 'C1', text: '<@U1> has joined' }],
    ['an empty message', { user: 'U1', channel: 'C1', text: '   ' }],
  ])('ignores %s', (_name, event) => {
    expect(classifyMessageEvent(envelope(event), BOT)).toBeNull();
  });

  it('ignores events that are not messages, and envelopes without event_id', () => {
    expect(classifyMessageEvent({ type: 'event_callback', event_id: 'Ev1', event: { type: 'reaction_added', user: 'U1' } })).toBeNull();
    expect(classifyMessageEvent({ type: 'event_callback', event: { type: 'message', user: 'U1', channel: 'C1', text: 'x', ts: '1.1' } })).toBeNull();
  });
});

describe('classifySlashCommand', () => {
  const base = { trigger_id: '13345224609.738474920.8088930838d88f008e0', user_id: 'U0AGENT001', user_name: 'amanda', channel_id: 'D0AGENT001', channel_name: 'directmessage' };

  it('gives the command name without slash, lower case, and the arguments as text', () => {
    const ev = classifySlashCommand({ ...base, command: '/Transfer', text: ' #12 @mathew  customer wants billing ' });
    expect(ev).toEqual({
      platform: 'slack',
      deliveryId: 'slack:cmd:13345224609.738474920.8088930838d88f008e0',
      kind: 'command',
      command: 'transfer',
      sender: { id: 'U0AGENT001', name: 'amanda' },
      chat: { id: 'D0AGENT001', isDirect: true },
      threadId: undefined,
      text: '#12 @mathew  customer wants billing',
    });
  });

  it('maps /sb-help to help and keeps <@U…> mentions', () => {
    expect(classifySlashCommand({ ...base, command: '/sb-help', text: '' })?.command).toBe('help');
    expect(classifySlashCommand({ ...base, command: '/offboard', text: '<@U0AGENT002|mathew> --to @amanda' })?.text).toBe('<@U0AGENT002> --to @amanda');
  });

  it('reads /sb <command> [args] as that command, and /sb alone as help', () => {
    expect(classifySlashCommand({ ...base, command: '/sb', text: 'away' })).toMatchObject({ command: 'away', text: '' });
    expect(classifySlashCommand({ ...base, command: '/sb', text: 'Transfer  #4 <@U0AGENT002|olga> call her back' })).toMatchObject({
      command: 'transfer',
      text: '#4 <@U0AGENT002> call her back',
    });
    expect(classifySlashCommand({ ...base, command: '/sb', text: '/close #4' })).toMatchObject({ command: 'close', text: '#4' });
    expect(classifySlashCommand({ ...base, command: '/sb', text: '' })).toMatchObject({ command: 'help', text: '' });
  });

  it('knows a channel from a DM', () => {
    expect(classifySlashCommand({ ...base, command: '/queue', channel_id: 'C0SUPPORT1', channel_name: 'support' })?.chat.isDirect).toBe(false);
  });
});

describe('classifyBlockAction', () => {
  const payload = {
    type: 'block_actions',
    trigger_id: '111.222.abc',
    user: { id: 'U0AGENT001', username: 'amanda', name: 'amanda' },
    channel: { id: 'D0AGENT001', name: 'directmessage' },
    container: { type: 'message', channel_id: 'D0AGENT001', message_ts: '1767258000.000100' },
    message: { ts: '1767258000.000100' },
    actions: [{ action_id: 'claim', value: '12', action_ts: '1767258001.1' }],
  };

  it('turns a pressed button into a button event keyed by trigger_id', () => {
    expect(classifyBlockAction(payload)).toEqual({
      platform: 'slack',
      deliveryId: 'slack:btn:111.222.abc',
      kind: 'button',
      button: { action: 'claim', value: '12' },
      sender: { id: 'U0AGENT001', name: 'amanda' },
      chat: { id: 'D0AGENT001', isDirect: true },
      messageId: '1767258000.000100',
      threadId: undefined,
      text: '',
    });
  });

  it('falls back to action_ts without a trigger_id and reports the thread', () => {
    const ev = classifyBlockAction({ ...payload, trigger_id: undefined, container: { ...payload.container, thread_ts: '1767257000.000001' } });
    expect(ev?.deliveryId).toBe('slack:btn:1767258001.1');
    expect(ev?.threadId).toBe('1767257000.000001');
  });

  it('ignores other interaction types', () => {
    expect(classifyBlockAction({ ...payload, type: 'view_submission' })).toBeNull();
  });
});
