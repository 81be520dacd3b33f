import { describe, expect, it } from 'vitest';
import { describeDataDir } from '../../src/store/embedded/describe.js';

describe('the start log line of a data directory', () => {
  it('says what it holds, one or many, with thousands separated', () => {
    expect(describeDataDir(false, { agent: 3, inbox: 1, conversation: 1204, message: 1, history: 0, offboarding: 2, job: 1 })).toBe(
      '3 agents, 1 inbox, 1,204 conversations, 1 message, 0 history events, 2 offboardings, 1 scheduled job',
    );
    expect(describeDataDir(true, {})).toBe('created now, empty');
  });
});
