import { beforeEach, describe, expect, it } from 'vitest';
import { commandCatalogue, type InboundEvent } from '../../../src/core/index.js';
import { makeCore, type CoreHarness } from '../../support/core-harness.js';

/** Commands only supervisors (and admins) may use, from the one catalogue. */
const SUPERVISOR_ONLY = commandCatalogue
  .names()
  .filter((n) => commandCatalogue.find(n)?.audience === 'supervisors');

/** Supervisor-only commands an answer points to, other than the one the agent typed. */
function pointsTo(answer: string, typed: string): string[] {
  return SUPERVISOR_ONLY.filter((name) => name !== typed && new RegExp(`(^|[^\\w/])/${name}\\b`).test(answer));
}

let h: CoreHarness;
let pressed = 0;
async function press(handle: string, action: string, value: string): Promise<string> {
  const chat = await h.chatOf(handle);
  const event: InboundEvent = {
    platform: 'telegram',
    deliveryId: `hint-press:${++pressed}`,
    kind: 'button',
    sender: { id: chat, name: handle },
    chat: { id: chat, isDirect: true },
    text: '',
    button: { action, value },
  };
  return (await h.core.handleInbound(event)).answer?.text ?? '';
}

beforeEach(async () => {
  h = makeCore();
  await h.agent('amanda');
  await h.agent('mathew', { availability: 'offline' });
  await h.agent('olga', { availability: 'offline' });
  await h.agent('geraldine', { availability: 'offline' });
  await h.agent('sam', { role: 'supervisor', availability: 'offline' });
  await h.inbox('support', ['amanda', 'mathew', 'geraldine']);
  await h.customerSays('c1', 'hello');
  await h.store.updateAgent('geraldine', { status: 'suspended' });
  expect(await h.assigneeOf(1)).toBe('amanda');
});

describe('hints to a plain agent', () => {
  it('never point to a supervisor-only command, whatever goes wrong', async () => {
    expect(SUPERVISOR_ONLY).toEqual(expect.arrayContaining(['agents', 'pause', 'resume', 'offboard', 'reinstate']));
    const typed: [string, string][] = [
      ['amanda', '/transfer #1 @nobody'],
      ['amanda', '/transfer #1 @olga'],
      ['amanda', '/transfer #1 @geraldine'],
      ['amanda', '/transfer #1 @amanda'],
      ['amanda', '/transfer #99 @mathew'],
      ['amanda', '/transfer #abc @mathew'],
      ['amanda', '/transfer'],
      ['amanda', '/unassign #99'],
      ['amanda', '/claim #99'],
      ['amanda', '/claim'],
      ['amanda', '/close #99'],
      ['amanda', '/history #99'],
      ['amanda', '/queue nosuch'],
      ['amanda', '/mine extra'],
      ['amanda', '/available now'],
      ['amanda', '/bogus'],
      ['amanda', '/help'],
      ['amanda', '/agents'],
      ['amanda', '/pause support'],
      ['amanda', '/resume'],
      ['amanda', '/offboard @mathew'],
      ['amanda', '/offboard confirm ABCDEF'],
      ['amanda', '/reinstate @geraldine'],
      ['mathew', '/transfer #1 @olga'],
      ['mathew', '/close #1'],
      ['mathew', '/unassign #1'],
      ['olga', '/claim'],
      ['olga', '/queue'],
    ];
    const found: string[] = [];
    for (const [who, line] of typed) {
      const answer = await h.command(who, line);
      expect(answer, line).not.toBe('');
      const name = line.slice(1).split(' ')[0]!;
      for (const cmd of pointsTo(answer, name)) found.push(`${who} ${line} → /${cmd}: ${answer}`);
    }
    const buttons: [string, string, string][] = [
      ['amanda', 'transfer-to', '1:nobody'],
      ['amanda', 'transfer-pick', '1:nobody'],
      ['amanda', 'claim', '99'],
      ['amanda', 'history', 'x'],
      ['mathew', 'transfer', '1'],
      ['mathew', 'close', '1'],
    ];
    for (const [who, action, value] of buttons) {
      const answer = await press(who, action, value);
      expect(answer, `${action}:${value}`).not.toBe('');
      for (const cmd of pointsTo(answer, '')) found.push(`${who} [${action} ${value}] → /${cmd}: ${answer}`);
    }
    // nobody else can take it: the only other active member is suspended now too
    await h.store.updateAgent('mathew', { status: 'suspended' });
    const nobody = await press('amanda', 'transfer', '1');
    for (const cmd of pointsTo(nobody, '')) found.push(`amanda [transfer 1, nobody free] → /${cmd}: ${nobody}`);
    expect(nobody).toBe('Nobody else in inbox support can take #1 now; try again when a colleague is online, or ask a supervisor.');
    expect(found).toEqual([]);
    expect(await h.assigneeOf(1)).toBe('amanda');
  });

  it('a supervisor is still pointed to /agents where it helps', async () => {
    await h.store.updateAgent('mathew', { status: 'suspended' });
    expect(await h.command('sam', '/transfer #1 @nobody')).toBe('No agent @nobody. /agents lists them.');
    expect(await press('sam', 'transfer-to', '1:nobody')).toBe('No agent @nobody. /agents lists them.');
    expect(await press('sam', 'transfer', '1')).toBe('Nobody else in inbox support can take #1 now; /agents shows who is where.');
  });
});
