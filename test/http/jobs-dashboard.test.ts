import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { Person } from '../adapters/telegram/telegram-updates.js';
import { person, Switchboard } from '../adapters/telegram/e2e/switchboard.js';
import { client } from './serve.js';

const TOKEN = 'jobs-dashboard-token-0123456789';
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const haveChromium = existsSync(CHROMIUM);

/** /admin/jobs: Agendash over the scheduler, behind the admin token, looked at in a real browser. */
describe('jobs dashboard at /admin/jobs', () => {
  let sb: Switchboard;
  let ann: Person;

  beforeAll(async () => {
    sb = await Switchboard.start({ adminToken: TOKEN });
    ann = person('Ann');
    await sb.addAgent('ann', ann);
    await sb.core.createAgent({ handle: 'ben', name: 'Ben', availability: 'online' });
    await sb.say(person('Carol'), 'where is my parcel?');
    await sb.received(ann, 'Carol'); // Ann's response timer is pending now
  });
  afterAll(async () => sb?.close());

  it('answers 401 without the token, and asks the browser for it', async () => {
    const res = await fetch(`${sb.base}/admin/jobs/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await fetch(`${sb.base}/admin/jobs/api`, { headers: { authorization: 'Bearer not-the-token-000000' } });
    expect(wrong.status).toBe(401);
    const bearer = await fetch(`${sb.base}/admin/jobs/api`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
    const body = (await bearer.json()) as { jobs?: { job?: { name?: string } }[] };
    expect(JSON.stringify(body)).toContain('response-timeout');
    // the page itself (Agendash is loaded on the first visit), and the path without its slash
    const page = await fetch(`${sb.base}/admin/jobs/`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const bare = await fetch(`${sb.base}/admin/jobs`, { headers: { authorization: `Bearer ${TOKEN}` }, redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/admin/jobs/');
  });

  it.skipIf(!haveChromium)(`loads in headless Chromium behind the token and shows the pending jobs (skipped when ${CHROMIUM} is missing: apt-get install chromium)`, { timeout: 60_000 }, async () => {
    // a reinstatement as well: suspend Ann until tomorrow through the admin API
    const api = client(sb.base, TOKEN);
    const preview = await api('POST', '/api/agents/ann/offboard', { mode: 'suspend', until: '1d', to: 'ben' });
    expect((await api('POST', `/api/offboardings/${preview.body.code}/confirm`)).status).toBe(200);

    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
      const anonymous = await browser.newContext();
      // without credentials the browser gets the 401 challenge and shows nothing of the page
      const refused = await (await anonymous.newPage()).goto(`${sb.base}/admin/jobs/`).then(
        (r) => String(r?.status()),
        (e: unknown) => String(e),
      );
      expect(refused).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);

      const context = await browser.newContext({ httpCredentials: { username: 'admin', password: TOKEN }, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto(`${sb.base}/admin/jobs`);
      expect(res?.status()).toBe(200);
      expect(page.url()).toBe(`${sb.base}/admin/jobs/`);
      await page.getByText('reinstate-agent').first().waitFor({ timeout: 20_000 });
      await page.getByText('response-timeout').first().waitFor({ timeout: 20_000 });
      const shot = join(tmpdir(), 'switchboard-jobs-dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(existsSync(shot)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
    }
  });
});
