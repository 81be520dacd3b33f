import type {
  AgentStatus,
  Availability,
  ConversationStatus,
  HistoryReason,
  OffboardingState,
  OffboardMode,
  Platform,
  Role,
  Strategy,
} from '../../core/index.js';

// The shapes stored in MongoDB. Optional fields are absent when unset (never null), except the
// nullable handles (assignee, history from/to/actor, planned move `to`), which are null as in the core.

export interface AgentDoc {
  handle: string;
  name: string;
  role: Role;
  status: AgentStatus;
  availability: Availability;
  capacity: number;
  openCount: number;
  homePlatform: Platform;
  telegramUserId?: string;
  telegramUsername?: string;
  telegramUsernameLower?: string;
  slackUserId?: string;
  createdAt: Date;
}

export interface InboxDoc {
  name: string;
  platform: Platform;
  slackChannelId?: string;
  strategy: Strategy;
  paused: boolean;
  responseTimeoutSec: number;
  maxRedirects: number;
  fallbackAgent?: string;
  cursor: number;
  createdAt: Date;
}

export interface MembershipDoc {
  inbox: string;
  handle: string;
  seq: number;
  joinedAt: Date;
}

export interface CustomerDoc {
  platform: Platform;
  id: string;
  name: string;
  chatId: string;
  threadId?: string;
}

export interface ConversationDoc {
  number: number;
  inbox: string;
  status: ConversationStatus;
  open: boolean;
  assignee: string | null;
  customer: CustomerDoc;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
  waitingSince?: Date;
  excluded: string[];
  redirects: number;
  queuedNoticeSent: boolean;
  lastMessageText?: string;
}

export interface MessageDoc {
  conversation: number;
  from: 'customer' | 'agent';
  handle?: string;
  text: string;
  at: Date;
}

export interface HistoryDoc {
  seq: number;
  conversation: number;
  reason: HistoryReason;
  from: string | null;
  to: string | null;
  actor: string | null;
  note?: string;
  at: Date;
  offboarding?: string;
}

export interface CounterDoc {
  _id: string;
  seq: number;
}

export interface DeliveryDoc {
  _id: string;
  at: Date;
}

export interface LinkDoc {
  platform: Platform;
  chatId: string;
  messageId: string;
  conversation: number;
}

export interface ThreadDoc {
  conversation: number;
  handle: string;
  platform: Platform;
  chatId: string;
  threadId: string;
}

export interface InviteDoc {
  code: string;
  handle: string;
  expiresAt: Date;
  usedAt?: Date;
}

export interface MoveDoc {
  conversation: number;
  inbox: string;
  to: string | null;
}

export interface OffboardingDoc {
  id: string;
  code: string;
  agent: string;
  supervisor: string;
  mode: OffboardMode;
  until?: Date;
  command: string;
  plan: MoveDoc[];
  inboxes: string[];
  state: OffboardingState;
  createdAt: Date;
  expiresAt: Date;
  confirmedAt?: Date;
  finishedAt?: Date;
  reinstatedAt?: Date;
  summary?: string;
}
