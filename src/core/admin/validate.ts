import type { z } from 'zod';
import { err, ok, type Result } from '../errors.js';
import { hint } from './hints.js';

export interface BodyRules {
  /** What the body should look like, for a body that is not an object at all. */
  shape: string;
  /** Per-field hints that differ from the shared ones (e.g. an inbox's `name`). */
  hints?: Record<string, string>;
  /** Known fields that may not be sent here, with the reason and what to do instead. */
  refused?: Record<string, string>;
}

/** Parse a request body with a strict schema; the first problem becomes a 400 naming its field. */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown, rules: BodyRules): Result<z.output<S>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return err('invalid_argument', `The body must be a JSON object: ${rules.shape}.`, 'body');
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = parsed.error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const field = unknown.keys[0] ?? 'body';
    const refused = rules.refused?.[field];
    if (refused) return err('invalid_argument', refused, field);
    return err('invalid_argument', `Unknown field "${field}": ${rules.shape}.`, field);
  }
  const first = issues[0];
  const field = first && first.path.length > 0 ? String(first.path[0]) : 'body';
  if (field === 'body') return err('invalid_argument', `The body is invalid: ${rules.shape}.`, 'body');
  const missing = !(field in input);
  return err('invalid_argument', `${field} is ${missing ? 'missing' : 'invalid'}: ${hint(field, rules.hints)}.`, field);
}

/** Parse a query value that arrived as text (or a number from code); empty text counts as absent. */
export function queryText(value: unknown, field: string, hintText: string): Result<string | undefined> {
  if (value === undefined || value === '') return ok(undefined);
  if (typeof value === 'number') return ok(String(value));
  if (typeof value !== 'string') return err('invalid_argument', `${field} is invalid: give it once, ${hintText}.`, field);
  return ok(value);
}

/** A positive whole number from a query or path value ("#42" and "42" both work). */
export function positiveInt(value: string): number | null {
  const text = value.startsWith('#') ? value.slice(1) : value;
  if (!/^[1-9][0-9]{0,14}$/.test(text)) return null;
  return Number(text);
}
