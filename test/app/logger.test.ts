import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPretty } from '../../src/logger.js';

describe('logs', () => {
  it('are pretty in a terminal or with LOG_FORMAT=pretty, JSON otherwise', () => {
    expect(wantsPretty({ isTTY: true })).toBe(true);
    expect(wantsPretty({ isTTY: false })).toBe(false);
    expect(wantsPretty({ isTTY: undefined })).toBe(false);
    expect(wantsPretty({ format: 'pretty', isTTY: false })).toBe(true);
    expect(wantsPretty({ format: 'json', isTTY: true })).toBe(false);
  });

  it('carry ISO 8601 times in JSON', () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', isTTY: false, destination });
    logger.info({ platform: 'telegram' }, 'hello');
    const line = JSON.parse(chunks[0]!) as { time: string; msg: string; service: string };
    expect(line).toMatchObject({ msg: 'hello', service: 'switchboard' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
