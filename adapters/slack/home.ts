import type { HomeConversation, HomeView } from '../../src/core/index.js';
import { actionBlocks, type SlackBlock } from './blocks.js';
import { escape } from './mrkdwn.js';

/** A section's text limit in Block Kit. */
const SECTION_TEXT_MAX = 3000;
/** A view holds at most 100 blocks. */
const VIEW_BLOCKS_MAX = 100;
/** A context element's text limit (the answer line), with room for escaping. */
const ANSWER_MAX = 1500;
/** Conversations listed in the agent's own part; more are counted, /mine lists them all. */
const CONVERSATIONS_LISTED = 40;

/** The thread link of a conversation: a permalink of its notice in the agent's chat. */
export type ThreadLinks = ReadonlyMap<number, string>;

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string): SlackBlock => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });
const context = (text: string): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const divider: SlackBlock = { type: 'divider' };

/** Lines as as few sections as fit (each at most 3,000 characters; a longer line is cut). */
function sections(lines: readonly string[]): SlackBlock[] {
  const out: SlackBlock[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.length > SECTION_TEXT_MAX ? `${raw.slice(0, SECTION_TEXT_MAX - 1)}…` : raw;
    if (current && current.length + 1 + line.length > SECTION_TEXT_MAX) {
      out.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  return out;
}

function conversationLine(c: HomeConversation, link?: string): string {
  const number = link ? `<${link}|#${c.number}>` : `#${c.number}`;
  const waiting = c.waiting ? ` · waiting ${c.waiting}` : '';
  const status = c.status === 'assigned' ? '' : ` [${c.status}]`;
  const last = c.lastMessage ? `\n      _${escape(c.lastMessage)}_` : '';
  return `*${number}* ${escape(c.inbox)} · ${escape(c.customer)}${status}${waiting}${last}`;
}

/**
 * The App Home tab (views.publish) for a core HomeView: who you are and your availability with
 * the buttons that change it, your open conversations linked to their threads, and for
 * supervisors the queue per inbox and the agents' load. `answer` is the one line a press answered.
 */
export function homeTab(view: HomeView, links: ThreadLinks, answer?: string): Record<string, unknown> {
  const blocks: SlackBlock[] = [header('Switchboard')];
  if (answer) blocks.push(context(escape(answer.length <= ANSWER_MAX ? answer : `${answer.slice(0, ANSWER_MAX - 1)}…`)));
  if (view.kind !== 'agent') {
    blocks.push(section(escape(view.text)));
    return { type: 'home', blocks };
  }
  blocks.push(section(`*@${escape(view.handle)}* (${escape(view.name)}) · you are *${view.availability}* · ${view.openCount}/${view.capacity} open`));
  blocks.push(...actionBlocks(view.availabilityButtons));
  blocks.push(divider, header(`Your open conversations (${view.conversations.length})`));
  if (view.conversations.length === 0) {
    blocks.push(section('None right now.'));
  } else {
    const listed = view.conversations.slice(0, CONVERSATIONS_LISTED).map((c) => conversationLine(c, links.get(c.number)));
    const more = view.conversations.length - listed.length;
    blocks.push(...sections(more > 0 ? [...listed, `…and ${more} more: /mine lists them all.`] : listed));
    blocks.push(context('A conversation number opens its thread: reply there to answer the customer.'));
  }
  if (view.supervisor) {
    const { queues, agents } = view.supervisor;
    blocks.push(divider, header('Queue per inbox'));
    const queueLines = queues.map((q) => {
      const head = `*${escape(q.inbox)}*${q.paused ? ' (paused)' : ''} · ${q.waiting === 0 ? 'nothing waits' : `${q.waiting} waiting`}`;
      return [head, ...q.oldest.map((c) => `      ${conversationLine(c)}`)].join('\n');
    });
    blocks.push(...sections(queueLines.length ? queueLines : ['No inboxes yet.']));
    blocks.push(divider, header("Agents' load"));
    const agentLines = agents.map(
      (a) => `@${escape(a.handle)} ${escape(a.name)} · ${a.role} · ${a.status === 'active' ? a.availability : a.status} · ${a.openCount}/${a.capacity}`,
    );
    blocks.push(...sections(agentLines.length ? agentLines : ['No agents yet.']));
  }
  if (blocks.length > VIEW_BLOCKS_MAX) {
    blocks.length = VIEW_BLOCKS_MAX - 1;
    blocks.push(context('More than fits here: /mine, /queue and /agents list everything.'));
  }
  return { type: 'home', blocks };
}
