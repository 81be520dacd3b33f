import type { Button } from '../../src/core/index.js';
import { toSlackText } from './mrkdwn.js';

/** Block Kit limits that matter for what Switchboard sends. */
const SECTION_TEXT_MAX = 3000;
const MESSAGE_TEXT_MAX = 40_000;
const BUTTONS_PER_BLOCK = 25;
const BUTTON_LABEL_MAX = 75;
const BUTTON_VALUE_MAX = 2000;
const MAX_BLOCKS = 50;

export interface SlackBlock {
  type: string;
  [key: string]: unknown;
}

/** A message body for chat.postMessage, chat.postEphemeral, slash command acks and response_url. */
export interface SlackMessageBody {
  text: string;
  blocks?: SlackBlock[];
}

/**
 * Text plus optional buttons → `text` (also the notification fallback) and, when there are
 * buttons, section blocks followed by actions blocks. A button's action_id is the Button's
 * action and its value the Button's value; Slack wants action_ids unique within a block, so a
 * repeated action starts a new actions block.
 */
export function renderMessage(text: string, buttons?: readonly Button[]): SlackMessageBody {
  const slackText = truncate(toSlackText(text), MESSAGE_TEXT_MAX);
  if (!buttons || buttons.length === 0) return { text: slackText };
  const actions = actionBlocks(buttons);
  const sections = chunk(slackText, SECTION_TEXT_MAX)
    .slice(0, MAX_BLOCKS - actions.length)
    .map((part) => ({ type: 'section', text: { type: 'mrkdwn', text: part } }));
  return { text: slackText, blocks: [...sections, ...actions].slice(0, MAX_BLOCKS) };
}

/** Buttons as actions blocks (a repeated action id starts a new block, as Slack wants ids unique per block). */
export function actionBlocks(buttons: readonly Button[]): SlackBlock[] {
  const groups: Button[][] = [];
  for (const button of buttons) {
    const current = groups[groups.length - 1];
    if (!current || current.length >= BUTTONS_PER_BLOCK || current.some((b) => b.action === button.action)) {
      groups.push([button]);
    } else {
      current.push(button);
    }
  }
  return groups.map((group) => ({ type: 'actions', elements: group.map(buttonElement) }));
}

function buttonElement(button: Button): SlackBlock {
  return {
    type: 'button',
    action_id: button.action,
    value: button.value.slice(0, BUTTON_VALUE_MAX),
    text: { type: 'plain_text', text: truncate(button.label, BUTTON_LABEL_MAX) || button.action, emoji: true },
    ...(button.style ? { style: button.style } : {}),
  };
}

function chunk(text: string, size: number): string[] {
  if (text.length === 0) return [' '];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const cut = rest.lastIndexOf('\n', size);
    const at = cut > size / 2 ? cut : size;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  parts.push(rest);
  return parts;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
