import type { AgentView, InviteView, ListQuery } from '../api.js';
import { DEFAULT_CAPACITY, type Agent, type AgentPatch, type Platform } from '../model/agent.js';
import { err, ok, type Result } from '../errors.js';
import { StoreConflict, type Page, type Store } from '../ports/store.js';
import { notifyChange, type AdminDeps } from './deps.js';
import { agentConflict, agentNotFound, agentRemoved } from './agent-errors.js';
import { agentInputSchema, agentPatchSchema, type ParsedAgentInput } from './schemas.js';
import { parseBody } from './validate.js';
import { parsePage } from './paging.js';
import { agentView } from './views.js';
import { randomInviteCode } from './invite-code.js';

const INVITE_TTL_MS = 24 * 3600_000;
const AGENT_SHAPE =
  'send {"handle", "name"} and optionally role, capacity, availability, homePlatform, telegramUserId, telegramUsername, slackUserId';
const AGENT_PATCH_SHAPE =
  'send any of name, role, capacity, availability, homePlatform, telegramUserId, telegramUsername, slackUserId';
/** Changes that can make an agent eligible for waiting conversations. */
const ROUTING_FIELDS = ['availability', 'capacity'] as const;

export async function loadAgentView(store: Store, agent: Agent): Promise<AgentView> {
  const memberships = await store.listMemberships(agent.handle);
  return agentView(agent, memberships.map((m) => m.inbox));
}

function defaultHomePlatform(input: ParsedAgentInput): Platform {
  if (input.telegramUserId != null || input.telegramUsername != null) return 'telegram';
  if (input.slackUserId != null) return 'slack';
  return 'telegram';
}

export async function createAgent(deps: AdminDeps, input: unknown): Promise<Result<AgentView>> {
  const parsed = parseBody(agentInputSchema, input, { shape: AGENT_SHAPE });
  if (!parsed.ok) return parsed;
  const a = parsed.value;
  const agent: Agent = {
    handle: a.handle,
    name: a.name,
    role: a.role ?? 'agent',
    status: 'active',
    availability: a.availability ?? 'offline',
    capacity: a.capacity ?? DEFAULT_CAPACITY,
    openCount: 0,
    homePlatform: a.homePlatform ?? defaultHomePlatform(a),
    telegramUserId: a.telegramUserId ?? undefined,
    telegramUsername: a.telegramUsername ?? undefined,
    slackUserId: a.slackUserId ?? undefined,
    createdAt: deps.clock.now(),
  };
  let created: Agent;
  try {
    created = await deps.store.createAgent(agent);
  } catch (error) {
    return agentConflict(deps.store, error, agent);
  }
  deps.logger.info({ agent: created.handle, role: created.role }, 'agent created');
  return ok(await loadAgentView(deps.store, created));
}

export async function getAgent(deps: AdminDeps, handle: string): Promise<Result<AgentView>> {
  const agent = await deps.store.getAgent(handle);
  if (!agent) return agentNotFound(handle);
  return ok(await loadAgentView(deps.store, agent));
}

export async function listAgents(deps: AdminDeps, query: ListQuery): Promise<Result<Page<AgentView>>> {
  const page = parsePage(query, 'handle');
  if (!page.ok) return page;
  const agents = await deps.store.listAgents(page.value);
  const items = await Promise.all(agents.items.map((a) => loadAgentView(deps.store, a)));
  return ok({ items, next: agents.next });
}

export async function updateAgent(deps: AdminDeps, handle: string, input: unknown): Promise<Result<AgentView>> {
  if (isObject(input) && 'status' in input) {
    // Status changes hand conversations over and leave inboxes: they go through /offboard and /reinstate.
    return err(
      'invalid_argument',
      `status cannot be changed here: type "/offboard @${handle} --suspend" (or --disable, --remove) in chat, which hands the conversations over first, and "/reinstate @${handle}" to bring the agent back.`,
      'status',
    );
  }
  const parsed = parseBody(agentPatchSchema, input, {
    shape: AGENT_PATCH_SHAPE,
    refused: { handle: 'handle cannot change: create a new agent with POST /api/agents instead.' },
  });
  if (!parsed.ok) return parsed;
  const current = await deps.store.getAgent(handle);
  if (!current) return agentNotFound(handle);
  if (current.status === 'removed') return agentRemoved(handle);

  const patch: AgentPatch = {};
  for (const [key, value] of Object.entries(parsed.value)) {
    if (value === undefined) continue;
    (patch as Record<string, unknown>)[key] = value === null ? undefined : value;
  }
  let updated: Agent | null;
  try {
    updated = await deps.store.updateAgent(handle, patch);
  } catch (error) {
    return agentConflict(deps.store, error, { handle, ...patch });
  }
  if (!updated) return agentNotFound(handle);
  const changed = Object.keys(patch).filter((k) => (current as unknown as Record<string, unknown>)[k] !== (patch as Record<string, unknown>)[k]);
  deps.logger.info({ agent: handle, fields: changed }, 'agent updated');
  if (ROUTING_FIELDS.some((f) => changed.includes(f))) {
    await notifyChange(deps, 'agent', handle);
    updated = (await deps.store.getAgent(handle)) ?? updated;
  }
  return ok(await loadAgentView(deps.store, updated));
}

export async function createInvite(deps: AdminDeps, handle: string): Promise<Result<InviteView>> {
  const agent = await deps.store.getAgent(handle);
  if (!agent) return agentNotFound(handle);
  if (agent.status === 'removed') return agentRemoved(handle);
  const expiresAt = new Date(deps.clock.now().getTime() + INVITE_TTL_MS);
  const newCode = deps.newCode ?? randomInviteCode;
  for (let attempt = 0; ; attempt++) {
    const code = newCode();
    try {
      await deps.store.createInvite({ code, handle, expiresAt });
    } catch (error) {
      if (error instanceof StoreConflict && attempt < 2) continue;
      throw error;
    }
    deps.logger.info({ agent: handle }, 'invite created');
    return ok({ code, link: deps.inviteLink(code), expiresAt: expiresAt.toISOString() });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
