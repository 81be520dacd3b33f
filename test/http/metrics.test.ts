import { describe, expect, it } from 'vitest';
import { PromMetrics } from '../../src/http/metrics.js';

function sample(text: string, metric: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${metric} `));
  return line === undefined ? undefined : Number(line.slice(metric.length + 1));
}

describe('PromMetrics', () => {
  it('counts each port counter under its switchboard_ name, with its labels', async () => {
    const metrics = new PromMetrics({ defaultMetrics: false });
    metrics.inc('conversations_opened');
    metrics.inc('conversations_opened');
    metrics.inc('conversations_assigned');
    metrics.inc('conversations_queued');
    metrics.inc('redirects');
    metrics.inc('commands', { command: 'transfer', outcome: 'ok' });
    metrics.inc('deliveries_failed', { platform: 'slack', failure: 'rate-limited' });
    metrics.inc('errors', { source: 'telegram' });
    metrics.observeRouting(0.003);
    const text = await metrics.text();
    expect(sample(text, 'switchboard_conversations_opened_total')).toBe(2);
    expect(sample(text, 'switchboard_conversations_assigned_total')).toBe(1);
    expect(sample(text, 'switchboard_conversations_queued_total')).toBe(1);
    expect(sample(text, 'switchboard_redirects_total')).toBe(1);
    expect(sample(text, 'switchboard_commands_total{command="transfer",outcome="ok"}')).toBe(1);
    expect(sample(text, 'switchboard_deliveries_failed_total{platform="slack",failure="rate-limited"}')).toBe(1);
    expect(sample(text, 'switchboard_errors_total{source="telegram"}')).toBe(1);
    expect(sample(text, 'switchboard_routing_duration_seconds_count')).toBe(1);
    expect(sample(text, 'switchboard_routing_duration_seconds_bucket{le="0.005"}')).toBe(1);
    expect(sample(text, 'switchboard_routing_duration_seconds_bucket{le="0.001"}')).toBe(0);
  });

  it('fills missing labels with "unknown", drops undeclared ones and counts values off the fixed lists as "other"', async () => {
    const metrics = new PromMetrics({ defaultMetrics: false });
    metrics.inc('commands', { command: 'claim' });
    metrics.inc('redirects', { inbox: 'support' });
    metrics.inc('commands', { command: 'weird "cmd"\n', outcome: 'error' });
    metrics.observeRouting(Number.NaN);
    const text = await metrics.text();
    expect(sample(text, 'switchboard_commands_total{command="claim",outcome="unknown"}')).toBe(1);
    expect(sample(text, 'switchboard_redirects_total')).toBe(1);
    expect(sample(text, 'switchboard_commands_total{command="other",outcome="other"}')).toBe(1);
    expect(sample(text, 'switchboard_routing_duration_seconds_count')).toBe(0);
  });

  it('keeps one series per label value on its fixed list, however many forged values arrive', async () => {
    const metrics = new PromMetrics({ defaultMetrics: false });
    for (let i = 0; i < 200; i++) {
      metrics.inc('commands', { command: `forged-${i}`, outcome: `x${i}` });
      metrics.inc('deliveries_failed', { platform: `p${i}`, failure: `f${i}` });
      metrics.inc('errors', { source: `s${i}` });
    }
    const series = (await metrics.text()).split('\n').filter((l) => /^switchboard_(commands|deliveries_failed|errors)_total\{/.test(l));
    expect(series).toEqual([
      'switchboard_commands_total{command="other",outcome="other"} 200',
      'switchboard_deliveries_failed_total{platform="other",failure="other"} 200',
      'switchboard_errors_total{source="other"} 200',
    ]);
  });

  it('shows each platform state as 1 for the current state and 0 for the others', async () => {
    const metrics = new PromMetrics({ defaultMetrics: false });
    metrics.setPlatformState('telegram', 'connecting');
    metrics.setPlatformState('telegram', 'failed');
    const text = await metrics.text();
    expect(sample(text, 'switchboard_platform_state{platform="telegram",state="failed"}')).toBe(1);
    expect(sample(text, 'switchboard_platform_state{platform="telegram",state="connecting"}')).toBe(0);
    expect(sample(text, 'switchboard_platform_state{platform="slack",state="off"}')).toBe(1);
  });

  it('keeps its own registry, with process metrics prefixed switchboard_', async () => {
    const a = new PromMetrics();
    const b = new PromMetrics();
    a.inc('redirects');
    expect(sample(await a.text(), 'switchboard_redirects_total')).toBe(1);
    expect(sample(await b.text(), 'switchboard_redirects_total')).toBe(0);
    expect(await a.text()).toMatch(/^switchboard_process_cpu_user_seconds_total /m);
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
