import { describe, expect, it } from 'vitest';
import { Lanes } from '../../../adapters/slack/lanes.js';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Lanes', () => {
  it('runs the tasks of one key in order, one at a time, and other keys alongside', async () => {
    const lanes = new Lanes();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await later(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([lanes.run('a', task('a1', 30)), lanes.run('a', task('a2', 1)), lanes.run('b', task('b1', 1))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
    expect(lanes.size).toBe(0);
  });

  it('a failed task rejects its own caller and does not stop the lane', async () => {
    const lanes = new Lanes();
    const failed = lanes.run('a', async () => {
      throw new Error('boom');
    });
    const next = lanes.run('a', async () => 'still runs');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('still runs');
  });
});
