import { hasAccess, isSupervisor, type Agent, type Availability, type Platform, type Role } from '../model/agent.js';
import type { Conversation, ConversationStatus } from '../model/conversation.js';
import type { Button } from '../ports/inbound.js';
import type { CoreDeps } from '../deps.js';
import { oneLine, quote } from '../delivery/notices.js';
import { availabilityButtons } from '../commands/availability-commands.js';

/** One conversation as a home view lists it. */
export interface HomeConversation {
  number: number;
  inbox: string;
  customer: string;
  status: ConversationStatus;
  assignee: string | null;
  /** How long the customer has waited for an answer (`12m`), while they wait. */
  waiting?: string | undefined;
  /** The customer's last message, on one line, cut short. */
  lastMessage?: string | undefined;
  /** The conversation's thread in this user's chat on the asking platform, once its notice was posted there. */
  thread?: { chatId: string; threadId: string } | undefined;
}

/** What waits in one inbox (supervisors). */
export interface HomeQueue {
  inbox: string;
  paused: boolean;
  /** Queued and unassigned conversations (counted up to QUEUE_COUNT_MAX). */
  waiting: number;
  /** The oldest of them. */
  oldest: HomeConversation[];
}

/** One agent's load (supervisors). */
export interface HomeAgentLoad {
  handle: string;
  name: string;
  role: Role;
  status: Agent['status'];
  availability: Availability;
  openCount: number;
  capacity: number;
}

/**
 * The content of a user's home view (Slack's App Home): for an agent their open conversations
 * and availability with the buttons that change it, for supervisors also the queue per inbox and
 * the agents' load; for anyone else one line saying how to be linked.
 */
export type HomeView =
  | { kind: 'stranger'; text: string }
  | { kind: 'revoked'; handle: string; text: string }
  | {
      kind: 'agent';
      handle: string;
      name: string;
      availability: Availability;
      openCount: number;
      capacity: number;
      /** Buttons that set the other availabilities; pressing one does what /available, /away or /offline do. */
      availabilityButtons: Button[];
      conversations: HomeConversation[];
      supervisor?: { queues: HomeQueue[]; agents: HomeAgentLoad[] } | undefined;
    };

/** Waiting conversations counted per inbox; more show as this number and a plus. */
export const QUEUE_COUNT_MAX = 100;
/** Oldest waiting conversations listed per inbox. */
const QUEUE_LISTED = 5;
const INBOXES_MAX = 200;
const AGENTS_MAX = 500;

export function ageText(now: Date, since: Date): string {
  const mins = Math.max(0, Math.round((now.getTime() - since.getTime()) / 60_000));
  if (mins < 60) return `${mins}m`;
  const hours = Math.round(mins / 60);
  return hours < 48 ? `${hours}h` : `${Math.round(hours / 24)}d`;
}

function listed(deps: CoreDeps, c: Conversation): HomeConversation {
  return {
    number: c.number,
    inbox: c.inbox,
    customer: c.customer.name,
    status: c.status,
    assignee: c.assignee,
    ...(c.waitingSince ? { waiting: ageText(deps.clock.now(), c.waitingSince) } : {}),
    ...(c.lastMessageText ? { lastMessage: quote(oneLine(c.lastMessageText), 80) } : {}),
  };
}

/** The home view of platform user `userId` as it stands now. */
export async function homeView(deps: CoreDeps, platform: Platform, userId: string): Promise<HomeView> {
  const { store } = deps;
  const agent = await store.findAgentByIdentity(platform, userId);
  if (!agent) {
    return {
      kind: 'stranger',
      text: `You are not linked to a Switchboard agent, so nothing is routed to you. To answer customers, ask a Switchboard admin to add your user id ${userId} to your agent.`,
    };
  }
  if (!hasAccess(agent)) return { kind: 'revoked', handle: agent.handle, text: `Your access is revoked (${agent.status}); ask a supervisor.` };
  const conversations: HomeConversation[] = [];
  for (const c of await store.listAssigned(agent.handle)) {
    const thread = await store.findThread(c.number, agent.handle, platform);
    conversations.push({ ...listed(deps, c), ...(thread ? { thread: { chatId: thread.chatId, threadId: thread.threadId } } : {}) });
  }
  return {
    kind: 'agent',
    handle: agent.handle,
    name: agent.name,
    availability: agent.availability,
    openCount: agent.openCount,
    capacity: agent.capacity,
    availabilityButtons: availabilityButtons(agent.availability),
    conversations,
    supervisor: isSupervisor(agent) ? await supervisorPart(deps) : undefined,
  };
}

async function supervisorPart(deps: CoreDeps): Promise<{ queues: HomeQueue[]; agents: HomeAgentLoad[] }> {
  const { store } = deps;
  const queues: HomeQueue[] = [];
  for (const inbox of (await store.listInboxes({ limit: INBOXES_MAX })).items) {
    const waiting = await store.listWaiting(inbox.name, ['queued', 'unassigned'], QUEUE_COUNT_MAX);
    queues.push({ inbox: inbox.name, paused: inbox.paused, waiting: waiting.length, oldest: waiting.slice(0, QUEUE_LISTED).map((c) => listed(deps, c)) });
  }
  const agents: HomeAgentLoad[] = [];
  let after: string | undefined;
  do {
    const page = await store.listAgents({ limit: AGENTS_MAX, after });
    for (const a of page.items) {
      if (a.status === 'removed') continue;
      agents.push({ handle: a.handle, name: a.name, role: a.role, status: a.status, availability: a.availability, openCount: a.openCount, capacity: a.capacity });
    }
    after = page.next ?? undefined;
  } while (after && agents.length < AGENTS_MAX);
  return { queues, agents };
}
