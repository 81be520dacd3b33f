import { isSupervisor, type Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { Button, NoticeUpdate } from '../ports/inbound.js';

/** Action ids of the buttons on a conversation's notice (and its shortcut's answer). */
export const NOTICE_ACTIONS = {
  claim: 'claim',
  transfer: 'transfer',
  unassign: 'unassign',
  close: 'close',
  history: 'history',
} as const;

/**
 * The buttons a conversation's message offers `viewer` now: Claim while it waits, Transfer,
 * Unassign and Close to whoever may manage it (its assignee, a supervisor), History always.
 * Pressing one checks permissions and state again, exactly like the command.
 */
export function noticeButtons(conv: Conversation, viewer: Agent): Button[] {
  const value = String(conv.number);
  const history: Button = { label: 'History', action: NOTICE_ACTIONS.history, value };
  if (conv.status === 'closed') return [history];
  const manage = isSupervisor(viewer) || (conv.status === 'assigned' && conv.assignee === viewer.handle);
  const buttons: Button[] = [];
  if (conv.status !== 'assigned') buttons.push({ label: 'Claim', action: NOTICE_ACTIONS.claim, value, style: 'primary' });
  if (manage) {
    buttons.push({ label: 'Transfer', action: NOTICE_ACTIONS.transfer, value });
    if (conv.status === 'assigned') buttons.push({ label: 'Unassign', action: NOTICE_ACTIONS.unassign, value });
    buttons.push({ label: 'Close', action: NOTICE_ACTIONS.close, value, style: 'danger' });
  }
  buttons.push(history);
  return buttons;
}

/** Where the conversation stands, as one line on its notice, from `viewer`'s side. */
export function stateLine(conv: Conversation, viewer: Agent): string {
  switch (conv.status) {
    case 'closed':
      return `#${conv.number} is closed`;
    case 'assigned':
      return conv.assignee === viewer.handle ? `#${conv.number} is yours` : `#${conv.number} is with @${conv.assignee}`;
    case 'queued':
      return `#${conv.number} waits in the queue`;
    case 'unassigned':
      return `#${conv.number} is unassigned and waits for a claim`;
  }
}

/** The notice of `conv` as `viewer` should see it now, under `status` (else where it stands). */
export function noticeUpdate(conv: Conversation, viewer: Agent, status?: string): NoticeUpdate {
  return { status: status ?? stateLine(conv, viewer), buttons: noticeButtons(conv, viewer) };
}
