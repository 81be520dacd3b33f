export const ERROR_CODES = [
  'invalid_argument',
  'unknown_command',
  'not_an_agent',
  'access_revoked',
  'forbidden',
  'agent_not_found',
  'inbox_not_found',
  'conversation_not_found',
  'conversation_closed',
  'conflict',
  'not_member',
  'agent_inactive',
  'nothing_to_do',
  'code_invalid',
  'offboarding_not_found',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one error type. `message` is the single line a user sees; it says what to type instead. */
export class SwitchboardError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SwitchboardError';
  }
}

export type Result<T, E = SwitchboardError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string, field?: string): Result<never> => ({
  ok: false,
  error: new SwitchboardError(code, message, field),
});
