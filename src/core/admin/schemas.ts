import { z } from 'zod';
import { AVAILABILITIES, HANDLE_PATTERN, PLATFORMS, RESERVED_HANDLES, ROLES } from '../model/agent.js';
import { INBOX_NAME_PATTERN, STRATEGIES } from '../model/inbox.js';

/** Body and query schemas of the admin API. Hints (what to send instead) live in hints.ts. */

const handle = z.string().max(64).regex(HANDLE_PATTERN);
/** A new agent's handle: also not one that names the admin API or cannot be reached under /api/agents/. */
const newHandle = handle.refine((h) => !RESERVED_HANDLES.includes(h));

/**
 * Control characters (newlines, tabs, escapes) and bidirectional overrides and isolates would let a
 * name fake the layout of a notice or reverse the text around it: line breaks become spaces, the
 * rest is dropped.
 */
export function cleanName(raw: string): string {
  return raw
    .replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ')
    .replace(/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}
const name = z.string().transform(cleanName).pipe(z.string().min(1).max(200));
const telegramUserId = z
  .union([
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^[1-9][0-9]{0,15}$/).refine((s) => Number.isSafeInteger(Number(s))),
  ])
  .transform(String)
  .nullable();
const telegramUsername = z
  .string()
  .regex(/^@?[A-Za-z0-9_]{1,64}$/)
  .transform((s) => s.replace(/^@/, ''))
  .nullable();
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{1,30}$/).nullable();

const agentFields = {
  name,
  role: z.enum(ROLES).optional(),
  capacity: z.number().int().min(1).max(1000).optional(),
  availability: z.enum(AVAILABILITIES).optional(),
  homePlatform: z.enum(PLATFORMS).optional(),
  telegramUserId: telegramUserId.optional(),
  telegramUsername: telegramUsername.optional(),
  slackUserId: slackUserId.optional(),
};

export const agentInputSchema = z.strictObject({ handle: newHandle, ...agentFields });
export type ParsedAgentInput = z.infer<typeof agentInputSchema>;

export const agentPatchSchema = z.strictObject({
  ...agentFields,
  name: name.optional(),
});
export type ParsedAgentPatch = z.infer<typeof agentPatchSchema>;

const slackChannelId = z.string().regex(/^[CG][A-Z0-9]{1,30}$/).nullable();
const inboxFields = {
  slackChannelId: slackChannelId.optional(),
  strategy: z.enum(STRATEGIES).optional(),
  paused: z.boolean().optional(),
  responseTimeoutSec: z.number().min(0).max(31_536_000).optional(),
  maxRedirects: z.number().int().min(0).max(100).optional(),
  fallbackAgent: handle.nullable().optional(),
};

export const inboxInputSchema = z.strictObject({
  name: z.string().max(64).regex(INBOX_NAME_PATTERN),
  platform: z.enum(PLATFORMS),
  ...inboxFields,
});
export type ParsedInboxInput = z.infer<typeof inboxInputSchema>;

export const inboxPatchSchema = z.strictObject(inboxFields);
export type ParsedInboxPatch = z.infer<typeof inboxPatchSchema>;

export const membersSchema = z.strictObject({ handles: z.array(handle).max(1000) });
