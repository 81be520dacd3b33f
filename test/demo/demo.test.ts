import { describe, expect, it } from 'vitest';
import { runDemo } from '../../demo/tour.js';

describe('npm run demo', () => {
  it('plays the whole tour against the fakes and prints what each person sees', { timeout: 60_000 }, async () => {
    const printed: string[] = [];
    const { lines, ms } = await runDemo((line) => printed.push(line));
    expect(printed).toEqual(lines);
    const text = lines.join('\n');
    // a customer writes, an agent is notified and answers
    expect(text).toContain('[Telegram] Carla → Switchboard: Hi! My order #A-1042 has not arrived yet.');
    expect(text).toMatch(/\[Telegram\] Switchboard → Nina: .*Carla/);
    expect(text).toMatch(/\[Telegram\] Switchboard → Carla: .*Let me check with the courier/);
    // a transfer
    expect(text).toMatch(/\[Telegram\] Switchboard → Omar: .*Carla/);
    // a queue drained
    expect(text).toMatch(/\[Telegram\] Switchboard → Dan: /);
    expect(text).toMatch(/\[Telegram\] Switchboard → Nina: .*Dan/);
    // an offboarding with its preview, then the summary
    expect(text).toMatch(/\[Slack\] Switchboard → Sam \(only Sam sees this\): .*\/offboard confirm [A-Z0-9]+/s);
    expect(text).toMatch(/reassigned/);
    expect(ms).toBeLessThan(60_000);
  });
});
