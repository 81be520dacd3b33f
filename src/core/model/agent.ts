export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const AGENT_STATUSES = ['active', 'suspended', 'disabled', 'removed'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

export const PLATFORMS = ['telegram', 'slack'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const HANDLE_PATTERN = /^[a-z0-9_.-]+$/;

/** Who acts for the admin API: the actor of its history events and the owner of its previews. */
export const ADMIN_API_ACTOR = 'admin-api';

/** Handles no agent may take: they name the admin API itself, or cannot be reached under /api/agents/. */
export const RESERVED_HANDLES: readonly string[] = [ADMIN_API_ACTOR, '.', '..'];
export const DEFAULT_CAPACITY = 10;

/** A person who answers customers. Agents are named by their unique, immutable handle. */
export interface Agent {
  handle: string;
  name: string;
  role: Role;
  status: AgentStatus;
  availability: Availability;
  capacity: number;
  /** Open (assigned) conversations held right now; maintained atomically by the store. */
  openCount: number;
  homePlatform: Platform;
  telegramUserId?: string | undefined;
  telegramUsername?: string | undefined;
  slackUserId?: string | undefined;
  createdAt: Date;
}

/** Fields of an agent that may change after creation (never handle, openCount or createdAt). */
export type AgentPatch = Partial<Omit<Agent, 'handle' | 'openCount' | 'createdAt'>>;

export function isSupervisor(agent: Agent): boolean {
  return agent.role === 'supervisor' || agent.role === 'admin';
}

export function hasAccess(agent: Agent): boolean {
  return agent.status === 'active';
}
