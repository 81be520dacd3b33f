import type { ErrorRequestHandler, Response } from 'express';
import type { ErrorCode, Logger, Metrics, Result, SwitchboardError } from '../core/index.js';

const STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  unknown_command: 400,
  code_invalid: 400,
  not_an_agent: 403,
  access_revoked: 403,
  forbidden: 403,
  agent_not_found: 404,
  inbox_not_found: 404,
  conversation_not_found: 404,
  offboarding_not_found: 404,
  conflict: 409,
  conversation_closed: 409,
  not_member: 409,
  agent_inactive: 409,
  nothing_to_do: 409,
};

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export function sendError(res: Response, status: number, code: string, message: string, field?: string): void {
  const body: ErrorBody = { error: { code, message } };
  if (field !== undefined) body.error.field = field;
  res.status(status).json(body);
}

export function sendSwitchboardError(res: Response, error: SwitchboardError): void {
  sendError(res, STATUS[error.code] ?? 400, error.code, error.message, error.field);
}

/** Answer a use case's result: the value as JSON, or the error with its status. */
export function sendResult<T>(res: Response, result: Result<T>, status = 200): void {
  if (result.ok) res.status(status).json(result.value);
  else sendSwitchboardError(res, result.error);
}

interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

function bodyParserError(error: unknown): BodyParserError | null {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string'
    ? (error as BodyParserError)
    : null;
}

/** The 4xx status an express or body-parser error carries, if any. */
function clientErrorStatus(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 500 ? value : null;
}

/**
 * The one express error handler: request body problems become 4xx with the body named, anything
 * else is logged, counted (`switchboard_errors_total{source="http"}`) and answered 500 without details.
 */
export function createErrorHandler(deps: { logger: Logger; metrics: Metrics }): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const parser = bodyParserError(error);
    if (parser?.type === 'entity.parse.failed') {
      sendError(res, 400, 'invalid_argument', 'The body is not valid JSON: send a JSON object with Content-Type: application/json.', 'body');
      return;
    }
    if (parser?.type === 'entity.too.large') {
      sendError(res, 413, 'invalid_argument', 'The body is too large: send at most 100 kB of JSON.', 'body');
      return;
    }
    const status = clientErrorStatus(error);
    if (parser && status !== null) {
      sendError(res, status, 'invalid_argument', 'The body could not be read: send UTF-8 JSON with Content-Type: application/json.', 'body');
      return;
    }
    if (status !== null) {
      // e.g. a malformed percent-encoding in the path, refused by express itself
      sendError(res, status, 'invalid_argument', 'The request could not be read: check the path and the query string.');
      return;
    }
    deps.metrics.inc('errors', { source: 'http' });
    deps.logger.error({ err: error, method: req.method, path: req.baseUrl + req.path }, 'http request failed');
    sendError(res, 500, 'internal', 'Something went wrong on our side: try again, and tell the operator if it keeps happening.');
  };
}
