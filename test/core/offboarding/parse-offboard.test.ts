import { describe, expect, it } from 'vitest';
import { isOffboardParseError, OFFBOARD_ARGS, parseOffboard, parseWhen, type OffboardArgs } from '../../../src/core/offboarding/parse-offboard.js';

const NOW = new Date('2026-01-01T09:00:00Z');
const parse = (text: string) => parseOffboard(text, NOW);
const ok = (text: string): OffboardArgs => {
  const r = parse(text);
  if (isOffboardParseError(r)) throw new Error(r.error);
  return r;
};
const error = (text: string): string => {
  const r = parse(text);
  if (!isOffboardParseError(r)) throw new Error(`parsed: ${JSON.stringify(r)}`);
  return r.error;
};

describe('parseOffboard', () => {
  it('defaults to disable with round-robin', () => {
    expect(ok('@alex')).toEqual({ action: 'preview', target: { kind: 'name', value: 'alex' }, mode: 'disable', until: undefined, plan: { kind: 'strategy', strategy: 'round-robin' } });
  });

  it('reads each mode and each plan', () => {
    expect(ok('@alex --remove --strategy least-busy')).toMatchObject({ mode: 'remove', plan: { kind: 'strategy', strategy: 'least-busy' } });
    expect(ok('@alex --suspend --to @sup')).toMatchObject({ mode: 'suspend', plan: { kind: 'to', target: { kind: 'name', value: 'sup' } } });
    expect(ok('--disable @alex --ratio @a=1,@b=2')).toMatchObject({
      mode: 'disable',
      plan: { kind: 'ratio', entries: [{ ref: { kind: 'name', value: 'a' }, n: 1 }, { ref: { kind: 'name', value: 'b' }, n: 2 }] },
    });
    expect(ok('@alex --hardcoded=@a=3,@b=4')).toMatchObject({ plan: { kind: 'hardcoded', entries: [{ n: 3 }, { n: 4 }] } });
  });

  it('accepts a list with spaces after the commas and Slack mentions', () => {
    expect(ok('<@U123|alex> --ratio @a=2, <@U999|bea>=1')).toMatchObject({
      target: { kind: 'slack', id: 'U123' },
      plan: { kind: 'ratio', entries: [{ ref: { kind: 'name', value: 'a' }, n: 2 }, { ref: { kind: 'slack', id: 'U999' }, n: 1 }] },
    });
  });

  it('refuses a day or an hour that does not exist instead of rolling it over', () => {
    for (const when of ['2026-02-30', '2026-02-29T10:00Z', '2026-04-31T09:00', '2026-03-01T25:00', '2026-13-45T99:00Z']) {
      expect(error(`@alex --suspend --until ${when}`)).toMatch(new RegExp(`^"${when}" is no such date or time`));
    }
    expect(ok('@alex --suspend --until 2028-02-29T10:00Z')).toMatchObject({ until: new Date('2028-02-29T10:00:00Z') });
  });

  it('resolves --until as a duration or an ISO time', () => {
    expect(ok('@alex --suspend --until 30s')).toMatchObject({ until: new Date('2026-01-01T09:00:30Z') });
    expect(ok('@alex --suspend --until 90m')).toMatchObject({ until: new Date('2026-01-01T10:30:00Z') });
    expect(ok('@alex --suspend --until=3d')).toMatchObject({ until: new Date('2026-01-04T09:00:00Z') });
    expect(ok('@alex --suspend --until 2026-02-01T08:00:00+02:00')).toMatchObject({ until: new Date('2026-02-01T06:00:00Z') });
    expect(ok('@alex --suspend --until 2026-02-01T08:00')).toMatchObject({ until: new Date('2026-02-01T08:00:00Z') });
  });

  it('reads confirm and cancel with their code', () => {
    expect(ok('confirm ab12cd')).toEqual({ action: 'confirm', code: 'AB12CD' });
    expect(ok('Cancel XY34ZW')).toEqual({ action: 'cancel', code: 'XY34ZW' });
    expect(error('confirm')).toBe('Missing the code. Type /offboard confirm CODE (the code is in the preview).');
    expect(error('confirm ABCDEF now')).toBe('Unexpected "now". Type /offboard confirm CODE');
  });

  it('refuses conflicting, unknown and repeated flags with the usage', () => {
    const u = `. Type /offboard ${OFFBOARD_ARGS}`;
    expect(error('@alex --suspend --remove')).toBe(`Choose one of --suspend, --disable, --remove (got --suspend and --remove)${u}`);
    expect(error('@alex --to @a --ratio @b=1')).toBe(`Choose one plan: --strategy, --to, --ratio or --hardcoded (got --to and --ratio)${u}`);
    expect(error('@alex --fast')).toBe(`Unknown option --fast${u}`);
    expect(error('@alex --to @a --to @b')).toBe(`--to is given twice${u}`);
    expect(error('@alex --disable --until 2h')).toBe(`--until goes with --suspend only${u}`);
    expect(error('@alex --suspend=yes')).toBe(`--suspend takes no value${u}`);
    expect(error('--suspend')).toBe(`Missing the agent to offboard${u}`);
    expect(error('@alex @bea')).toMatch(/^Name one agent to offboard/);
    expect(error('@alex please')).toBe(`Unexpected "please"${u}`);
    expect(error('@alex --strategy fastest')).toBe(`Unknown strategy "fastest"; use round-robin or least-busy${u}`);
    expect(error('@alex --to')).toBe(`--to needs a value${u}`);
    expect(error('@alex --to bea')).toBe(`--to needs an agent like @amanda, not "bea"${u}`);
  });

  it('refuses a bad WHEN', () => {
    for (const when of ['tomorrow', '5w', '0m', '2025-12-31T09:00Z']) {
      expect(error(`@alex --suspend --until ${when}`)).toMatch(new RegExp(`^"${when}" is not a future time: give an ISO 8601 time`));
    }
  });

  it('refuses bad ratio syntax', () => {
    expect(error('@alex --ratio @a')).toMatch(/^"@a" is not @agent=N in --ratio\. Type \/offboard/);
    expect(error('@alex --ratio @a=x')).toMatch(/^"@a=x" is not @agent=N in --ratio/);
    expect(error('@alex --hardcoded @a=0')).toMatch(/^Give each agent at least 1 in --hardcoded/);
    expect(error('@alex --ratio @a=1,@a=2')).toMatch(/^@a appears twice in --ratio/);
    expect(error('@alex --ratio ,')).toMatch(/^--ratio needs a list such as @amanda=2,@mathew=1/);
  });
});

describe('parseWhen', () => {
  it('counts durations from now and refuses the past', () => {
    expect(parseWhen('2h', NOW)).toEqual(new Date('2026-01-01T11:00:00Z'));
    expect(parseWhen('2026-01-01', NOW)).toBeNull(); // midnight, already past
    expect(parseWhen('2026-01-02', NOW)).toEqual(new Date('2026-01-02T00:00:00Z'));
  });
});
