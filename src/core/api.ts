import type { Agent, AgentPatch, Availability, Platform, Role } from './model/agent.js';
import type { Inbox, Strategy } from './model/inbox.js';
import type { Conversation, ConversationStatus, Message } from './model/conversation.js';
import type { Page, StoredHistoryEvent } from './ports/store.js';
import type { InboundEvent, InboundResult } from './ports/inbound.js';
import type { JobDataMap, JobName } from './ports/scheduler.js';
import type { Result } from './errors.js';
import type { JobQuery, JobView } from './admin/jobs.js';
import type { OffboardingDoneView, OffboardingPreviewView } from './offboarding/offboard-api.js';
import type { HomeAgentLoad, HomeConversation, HomeQueue, HomeView } from './home/home-view.js';

export type { HomeAgentLoad, HomeConversation, HomeQueue, HomeView };

export type { JobQuery, JobView, OffboardingDoneView, OffboardingPreviewView };

/** What one reconciliation run found and corrected. */
export interface ReconcileSummary {
  checked: number;
  corrected: number;
  assigned: number;
  timersRepaired: number;
}

/** An agent as the admin API shows it. */
export interface AgentView {
  handle: string;
  name: string;
  role: Role;
  status: Agent['status'];
  availability: Availability;
  capacity: number;
  homePlatform: Platform;
  telegramUserId: number | null;
  telegramUsername: string | null;
  slackUserId: string | null;
  openCount: number;
  inboxes: string[];
  createdAt: string;
}

export interface InboxView {
  name: string;
  platform: Platform;
  slackChannelId: string | null;
  strategy: Strategy;
  paused: boolean;
  responseTimeoutSec: number;
  maxRedirects: number;
  fallbackAgent: string | null;
  members: string[];
  createdAt: string;
}

export interface ConversationView {
  number: number;
  inbox: string;
  status: ConversationStatus;
  assignee: string | null;
  customer: { platform: Platform; id: string; name: string };
  createdAt: string;
  updatedAt: string;
  messages?: { from: Message['from']; handle?: string; text: string; at: string }[];
  history?: HistoryView[];
}

export interface HistoryView {
  conversation: number;
  reason: StoredHistoryEvent['reason'];
  from: string | null;
  to: string | null;
  actor: string | null;
  note?: string;
  at: string;
}

/** Input of POST /api/agents (validated by the core; unknown fields are refused). */
export interface AgentInput {
  handle: string;
  name: string;
  role?: Role;
  capacity?: number;
  availability?: Availability;
  homePlatform?: Platform;
  telegramUserId?: string | number | null;
  telegramUsername?: string | null;
  slackUserId?: string | null;
}
export type AgentPatchInput = Partial<Omit<AgentInput, 'handle'>> & { status?: Agent['status'] };

export interface InboxInput {
  name: string;
  platform: Platform;
  slackChannelId?: string | null;
  strategy?: Strategy;
  paused?: boolean;
  responseTimeoutSec?: number;
  maxRedirects?: number;
  fallbackAgent?: string | null;
}
export type InboxPatchInput = Partial<Omit<InboxInput, 'name' | 'platform'>>;

export interface InviteView {
  code: string;
  link: string | null;
  expiresAt: string;
}

export interface ListQuery {
  limit?: unknown;
  after?: unknown;
}

/**
 * What the outside world (adapters, HTTP, scheduler, main) may call. Expected failures come back
 * as Result values with a SwitchboardError (code, one-line message, field).
 */
export interface SwitchboardApi {
  /** The only door for platform deliveries. */
  handleInbound(event: InboundEvent): Promise<InboundResult>;
  /**
   * What platform user `userId` should see in their home view (Slack's App Home) now. Adapters with
   * home views show it when the user opens it and when told that it changed (ChannelAdapter.homeChanged).
   */
  homeView(platform: Platform, userId: string): Promise<HomeView>;

  // admin
  createAgent(input: unknown): Promise<Result<AgentView>>;
  getAgent(handle: string): Promise<Result<AgentView>>;
  listAgents(query: ListQuery): Promise<Result<Page<AgentView>>>;
  updateAgent(handle: string, patch: unknown): Promise<Result<AgentView>>;
  createInvite(handle: string): Promise<Result<InviteView>>;
  createInbox(input: unknown): Promise<Result<InboxView>>;
  getInbox(name: string): Promise<Result<InboxView>>;
  listInboxes(query: ListQuery): Promise<Result<Page<InboxView>>>;
  updateInbox(name: string, patch: unknown): Promise<Result<InboxView>>;
  setMembers(inbox: string, body: unknown): Promise<Result<InboxView>>;
  listConversations(query: ListQuery & { status?: unknown; assignee?: unknown; inbox?: unknown }): Promise<Result<Page<ConversationView>>>;
  getConversation(number: string | number): Promise<Result<ConversationView>>;
  listHistory(query: ListQuery & { agent?: unknown; conversation?: unknown }): Promise<Result<Page<HistoryView>>>;
  /** Only without open conversations (else `conflict`). */
  deleteInbox(name: string): Promise<Result<{ name: string; deleted: true }>>;
  /** The preview of an offboarding (SPEC §5) made by the admin API, with its confirmation code. */
  offboardAgent(handle: string, options: unknown): Promise<Result<OffboardingPreviewView>>;
  /** Carry out a preview the admin API made (state `running` when it takes longer than 2 s). */
  confirmOffboarding(code: string): Promise<Result<OffboardingDoneView>>;
  /** Where an offboarding stands, with its summary once carried out. */
  getOffboarding(code: string): Promise<Result<OffboardingDoneView>>;
  /** Pending scheduled jobs (response timers, reinstatements), soonest first. */
  listJobs(query: JobQuery): Promise<Result<Page<JobView>>>;

  // scheduler and start-up
  runJob<N extends JobName>(name: N, data: JobDataMap[N]): Promise<void>;
  /** Carry on offboardings that were confirmed but did not finish (crash). */
  resumeOffboardings(): Promise<number>;
  /** Repair what a failure between two steps left behind (run at start and every few minutes). */
  reconcile(): Promise<ReconcileSummary>;
}

export type { AgentPatch, Inbox, Conversation };

/** The admin part of SwitchboardApi: what the admin API (HTTP) needs of the core. */
export type AdminApi = Pick<
  SwitchboardApi,
  | 'createAgent'
  | 'getAgent'
  | 'listAgents'
  | 'updateAgent'
  | 'createInvite'
  | 'createInbox'
  | 'getInbox'
  | 'listInboxes'
  | 'updateInbox'
  | 'setMembers'
  | 'listConversations'
  | 'getConversation'
  | 'listHistory'
  | 'deleteInbox'
  | 'offboardAgent'
  | 'confirmOffboarding'
  | 'getOffboarding'
  | 'listJobs'
>;

/** The part of the admin API that AdminService (store-only) implements; the core adds the rest. */
export type StoreAdminApi = Omit<AdminApi, 'offboardAgent' | 'confirmOffboarding' | 'getOffboarding' | 'listJobs'>;
