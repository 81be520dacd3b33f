import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../adapters/slack/blocks.js';
import { fromSlackText, toSlackText } from '../../../adapters/slack/mrkdwn.js';

describe('renderMessage', () => {
  it('sends plain text without blocks when there are no buttons', () => {
    expect(renderMessage('Conversation #3 closed.')).toEqual({ text: 'Conversation #3 closed.' });
  });

  it('renders buttons as an actions block with action_id, value and style', () => {
    const body = renderMessage('Offboard @mathew: 4 conversations', [
      { label: 'Confirm', action: 'offboard-confirm', value: 'K7Q2', style: 'danger' },
      { label: 'Cancel', action: 'offboard-cancel', value: 'K7Q2' },
    ]);
    expect(body.text).toBe('Offboard @mathew: 4 conversations');
    expect(body.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Offboard @mathew: 4 conversations' } },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'offboard-confirm', value: 'K7Q2', text: { type: 'plain_text', text: 'Confirm', emoji: true }, style: 'danger' },
          { type: 'button', action_id: 'offboard-cancel', value: 'K7Q2', text: { type: 'plain_text', text: 'Cancel', emoji: true } },
        ],
      },
    ]);
  });

  it('never puts two buttons with the same action_id in one block', () => {
    const body = renderMessage('Queue', [
      { label: 'Claim #1', action: 'claim', value: '1' },
      { label: 'Claim #2', action: 'claim', value: '2' },
    ]);
    const actions = body.blocks!.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(2);
    for (const block of actions) {
      const ids = (block.elements as { action_id: string }[]).map((e) => e.action_id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('splits long text over sections of at most 3000 characters', () => {
    const text = Array.from({ length: 200 }, (_, i) => `#${i} waiting since 09:00 in support-inbox`).join('\n');
    const body = renderMessage(text, [{ label: 'Claim', action: 'claim', value: '' }]);
    const sections = body.blocks!.filter((b) => b.type === 'section') as unknown as { text: { text: string } }[];
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(3000);
    expect(sections.map((s) => s.text.text).join('\n')).toBe(text);
  });

  it('escapes Slack control characters in text', () => {
    expect(renderMessage('a < b & c > d').text).toBe('a &lt; b &amp; c &gt; d');
  });
});

describe('Slack text', () => {
  it('keeps user mentions when escaping outgoing text', () => {
    expect(toSlackText('ask <@U0AGENT001> about <tag> & more')).toBe('ask <@U0AGENT001> about &lt;tag&gt; &amp; more');
  });

  it('reads links, channels and special mentions as plain text', () => {
    expect(fromSlackText('<https://shop.example/o/1> <mailto:a@b.io|a@b.io> <#C0SUPPORT1|support> <!here>')).toBe(
      'https://shop.example/o/1 a@b.io #support @here',
    );
  });
});
