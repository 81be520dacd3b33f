import type {
  AgentView,
  ConversationView,
  HistoryView,
  InboxView,
  InviteView,
  JobQuery,
  JobView,
  ListQuery,
  OffboardingDoneView,
  OffboardingPreviewView,
  ReconcileSummary,
  SwitchboardApi,
} from './api.js';
import { listJobs } from './admin/jobs.js';
import { confirmByApi, offboardByApi, offboardingByApi } from './offboarding/offboard-api.js';
import { CATALOGUE } from './features.js';
import type { CoreDeps, SwitchboardDeps } from './deps.js';
import { buildCoreDeps } from './delivery/build-deps.js';
import type { Result } from './errors.js';
import type { InboundEvent, InboundResult } from './ports/inbound.js';
import type { JobDataMap, JobName, ReinstateAgentJob, ResponseTimeoutJob } from './ports/scheduler.js';
import type { Page } from './ports/store.js';
import { AdminService } from './admin/admin-service.js';
import { INVITE_CODE_LENGTH } from './admin/invite-code.js';
import { deliverAll } from './delivery/deliver.js';
import { drainForAgent, drainInbox } from './conversations/assign.js';
import { handleResponseTimeout } from './conversations/redirect.js';
import { reconcileLoads } from './conversations/reconcile.js';
import { handleInbound } from './inbound/handle-inbound.js';
import { reinstateFromJob, resumeUnfinished } from './offboarding/offboard-command.js';
import type { Platform } from './model/agent.js';
import { HomeFeed, watchStore } from './home/home-feed.js';
import { homeView, type HomeView } from './home/home-view.js';

/** The use cases the outside world calls. Adapters, HTTP, the scheduler and main only see this. */
export class Switchboard implements SwitchboardApi {
  private readonly admin: AdminService;
  private readonly homes: HomeFeed;
  readonly deps: CoreDeps;

  constructor(input: SwitchboardDeps) {
    // every write that changes what a home view shows is noticed; the feed refreshes those views, debounced
    const watched: SwitchboardDeps = { ...input, store: watchStore(input.store, (change) => this.homes.note(change)) };
    const deps = buildCoreDeps(watched);
    this.homes = new HomeFeed(deps);
    this.deps = deps;
    this.admin = new AdminService({
      store: deps.store,
      clock: deps.clock,
      logger: deps.logger,
      inviteLink: (code) => deps.inviteLink(code),
      newCode: () => deps.newCode(INVITE_CODE_LENGTH),
      onAgentChanged: async (handle) => {
        await deliverAll(deps, (await drainForAgent(deps, handle)).outbound);
      },
      onInboxChanged: async (name) => {
        await deliverAll(deps, (await drainInbox(deps, name)).outbound);
      },
    });
  }

  handleInbound(event: InboundEvent): Promise<InboundResult> {
    return handleInbound(this.deps, event);
  }

  homeView(platform: Platform, userId: string): Promise<HomeView> {
    return homeView(this.deps, platform, userId);
  }

  /** No more home view refreshes (the app is closing). */
  dispose(): void {
    this.homes.stop();
  }

  async runJob<N extends JobName>(name: N, data: JobDataMap[N]): Promise<void> {
    if (name === 'reconcile') {
      await this.reconcile();
      return;
    }
    const outbound =
      name === 'response-timeout'
        ? await handleResponseTimeout(this.deps, data as ResponseTimeoutJob)
        : await reinstateFromJob(this.deps, data as ReinstateAgentJob);
    await deliverAll(this.deps, outbound);
  }

  async reconcile(): Promise<ReconcileSummary> {
    const { outbound, ...summary } = await reconcileLoads(this.deps);
    await deliverAll(this.deps, outbound);
    return summary;
  }

  resumeOffboardings(): Promise<number> {
    return resumeUnfinished(this.deps);
  }

  // ---- admin (validated in AdminService)
  createAgent(input: unknown): Promise<Result<AgentView>> {
    return this.admin.createAgent(input);
  }
  getAgent(handle: string): Promise<Result<AgentView>> {
    return this.admin.getAgent(handle);
  }
  listAgents(query: ListQuery): Promise<Result<Page<AgentView>>> {
    return this.admin.listAgents(query);
  }
  updateAgent(handle: string, patch: unknown): Promise<Result<AgentView>> {
    return this.admin.updateAgent(handle, patch);
  }
  createInvite(handle: string): Promise<Result<InviteView>> {
    return this.admin.createInvite(handle);
  }
  createInbox(input: unknown): Promise<Result<InboxView>> {
    return this.admin.createInbox(input);
  }
  getInbox(name: string): Promise<Result<InboxView>> {
    return this.admin.getInbox(name);
  }
  listInboxes(query: ListQuery): Promise<Result<Page<InboxView>>> {
    return this.admin.listInboxes(query);
  }
  updateInbox(name: string, patch: unknown): Promise<Result<InboxView>> {
    return this.admin.updateInbox(name, patch);
  }
  setMembers(inbox: string, body: unknown): Promise<Result<InboxView>> {
    return this.admin.setMembers(inbox, body);
  }
  listConversations(query: ListQuery & { status?: unknown; assignee?: unknown; inbox?: unknown }): Promise<Result<Page<ConversationView>>> {
    return this.admin.listConversations(query);
  }
  getConversation(number: string | number): Promise<Result<ConversationView>> {
    return this.admin.getConversation(number);
  }
  listHistory(query: ListQuery & { agent?: unknown; conversation?: unknown }): Promise<Result<Page<HistoryView>>> {
    return this.admin.listHistory(query);
  }
  deleteInbox(name: string): Promise<Result<{ name: string; deleted: true }>> {
    return this.admin.deleteInbox(name);
  }
  offboardAgent(handle: string, options: unknown): Promise<Result<OffboardingPreviewView>> {
    return offboardByApi(this.deps, CATALOGUE, handle, options);
  }
  confirmOffboarding(code: string): Promise<Result<OffboardingDoneView>> {
    return confirmByApi(this.deps, CATALOGUE, code);
  }
  getOffboarding(code: string): Promise<Result<OffboardingDoneView>> {
    return offboardingByApi(this.deps, code);
  }
  listJobs(query: JobQuery): Promise<Result<Page<JobView>>> {
    return listJobs(this.deps, query);
  }
}
