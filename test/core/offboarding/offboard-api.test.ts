import { describe, expect, it } from 'vitest';
import { team } from './setup.js';

/** A chat command such as "/agents" or "/offboard" (API paths like "/api/agents" are fine). */
const CHAT_COMMAND = /(^|[\s(])\/(?!api\/)[a-z]+/;

async function failure<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string | undefined } }>) {
  const r = await p;
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('offboarding by the admin API: errors point to the API, not to chat commands', () => {
  it('an unknown or inactive receiver points to GET /api/agents', async () => {
    const h = await team(3);
    const unknown = await failure(h.core.offboardAgent('alex', { ratio: { mathew: 2, nobody: 1 } }));
    expect(unknown).toMatchObject({ code: 'agent_not_found', message: 'No agent @nobody. GET /api/agents lists them.' });
    await h.store.updateAgent('geraldine', { status: 'suspended' });
    const inactive = await failure(h.core.offboardAgent('alex', { to: 'geraldine' }));
    expect(inactive.message).toBe('@geraldine is suspended; agents named in a plan must be active (GET /api/agents lists them).');
    for (const e of [unknown, inactive]) expect(e.message).not.toMatch(CHAT_COMMAND);
  });

  it('an unknown or expired code says how to make a new preview by API', async () => {
    const h = await team(3);
    const unknown = await failure(h.core.confirmOffboarding('NOPE42'));
    expect(unknown).toMatchObject({ code: 'code_invalid', message: 'No offboarding has the code NOPE42; POST /api/agents/:handle/offboard makes a new preview.' });
    const preview = await h.core.offboardAgent('alex', {});
    if (!preview.ok) throw new Error(preview.error.message);
    h.clock.advance(11 * 60_000);
    const expired = await failure(h.core.confirmOffboarding(preview.value.code));
    expect(expired.message).toMatch(/^Code [A-Z0-9]+ expired at .* UTC; send POST \/api\/agents\/alex\/offboard again for a fresh preview\.$/);
    for (const e of [unknown, expired]) expect(e.message).not.toMatch(CHAT_COMMAND);
    expect(await h.assigneeOf(1)).toBe('alex');
  });
});
