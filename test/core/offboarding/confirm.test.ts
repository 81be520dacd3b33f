import { describe, expect, it } from 'vitest';
import { codeOf, holders, press, team } from './setup.js';

describe('/offboard confirmation', () => {
  it('offers Confirm and Cancel buttons carrying the code, and the button carries it out', async () => {
    const h = await team(3);
    const chat = await h.chatOf('sam');
    const r = await h.core.handleInbound({
      platform: 'telegram',
      deliveryId: 'cmd:1',
      kind: 'command',
      sender: { id: chat, name: 'sam' },
      chat: { id: chat, isDirect: true },
      command: 'offboard',
      text: '@alex --suspend',
    });
    const code = codeOf(r.answer!.text);
    expect(r.answer!.buttons).toEqual([
      { label: 'Confirm', action: 'offboard-confirm', value: code, style: 'danger' },
      { label: 'Cancel', action: 'offboard-cancel', value: code },
    ]);
    const answer = await press(h, 'sam', 'offboard-confirm', code);
    expect(answer!.text).toContain('3/3 reassigned, 0 left unassigned');
    expect((await press(h, 'sam', 'offboard-confirm', code))!.text).toBe(`Offboarding ${code} of @alex was carried out already; nothing more to do.`);
  });

  it('a second confirm of the same code does nothing and says so', async () => {
    const h = await team(3);
    const code = codeOf(await h.command('sam', '/offboard @alex'));
    await h.command('sam', `/offboard confirm ${code}`);
    const before = (await h.store.listHistory({}, { limit: 1000 })).items.length;
    expect(await h.command('sam', `/offboard confirm ${code}`)).toBe(`Offboarding ${code} of @alex was carried out already; nothing more to do.`);
    expect((await h.store.listHistory({}, { limit: 1000 })).items.length).toBe(before);
  });

  it('two confirms at the same moment carry it out once', async () => {
    const h = await team(6);
    const code = codeOf(await h.command('sam', '/offboard @alex'));
    const answers = await Promise.all([h.command('sam', `/offboard confirm ${code}`), h.command('sam', `/offboard confirm ${code}`)]);
    expect(answers.filter((a) => a.includes('6/6 reassigned'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('nothing more to do'))).toHaveLength(1);
    const moves = (await h.store.listHistory({}, { limit: 1000 })).items.filter((e) => e.reason === 'offboard');
    expect(moves).toHaveLength(6);
  });

  it('codes expire after 10 minutes', async () => {
    const h = await team(3);
    const code = codeOf(await h.command('sam', '/offboard @alex'));
    h.clock.advance(11 * 60_000);
    expect(await h.command('sam', `/offboard confirm ${code}`)).toBe(`Code ${code} expired at 2026-01-01 09:10 UTC; type /offboard @alex again for a fresh preview.`);
    expect(await h.command('sam', `/offboard confirm ${code}`)).toBe(`Offboarding ${code} of @alex expired; nothing more to do.`);
    expect((await h.store.getAgent('alex'))!.status).toBe('active');
    expect(await holders(h)).toEqual({ alex: 3 });
  });

  it('only the supervisor who asked for the preview can confirm it', async () => {
    const h = await team(3);
    const code = codeOf(await h.command('sam', '/offboard @alex'));
    expect(await h.command('sue', `/offboard confirm ${code}`)).toBe('Only @sam, who asked for this preview, can confirm it.');
    expect((await press(h, 'boss', 'offboard-confirm', code))!.text).toBe('Only @sam, who asked for this preview, can confirm it.');
    expect(await holders(h)).toEqual({ alex: 3 });
    expect(await h.command('sam', `/offboard confirm ${code}`)).toContain('3/3 reassigned');
  });

  it('cancel by command or button; then confirm does nothing', async () => {
    const h = await team(3);
    const code = codeOf(await h.command('sam', '/offboard @alex'));
    expect(await h.command('sam', `/offboard cancel ${code}`)).toBe(`Cancelled offboarding ${code} of @alex; nothing changed.`);
    expect(await h.command('sam', `/offboard confirm ${code}`)).toBe(`Offboarding ${code} of @alex was cancelled; nothing more to do.`);
    const second = codeOf(await h.command('sam', '/offboard @alex --suspend'));
    expect((await press(h, 'sam', 'offboard-cancel', second))!.text).toBe(`Cancelled offboarding ${second} of @alex; nothing changed.`);
    expect(await h.command('sam', '/offboard confirm NOPE42')).toBe('No offboarding has the code NOPE42; /offboard @agent makes a new preview.');
    expect(await holders(h)).toEqual({ alex: 3 });
    expect((await h.store.getAgent('alex'))!.status).toBe('active');
  });

  it('a fresh preview replaces the same supervisor\'s earlier one', async () => {
    const h = await team(2);
    const first = codeOf(await h.command('sam', '/offboard @alex'));
    const second = codeOf(await h.command('sam', '/offboard @alex --to @olga'));
    expect(await h.command('sam', `/offboard confirm ${first}`)).toBe(`Offboarding ${first} of @alex was cancelled; nothing more to do.`);
    expect(await h.command('sam', `/offboard confirm ${second}`)).toContain('2/2 reassigned, 0 left unassigned (@olga 2).');
  });

  it('checks again at confirm time: a plan made for an active agent does not apply once they are offboarded', async () => {
    const h = await team(2);
    const samCode = codeOf(await h.command('sam', '/offboard @alex --suspend'));
    const sueCode = codeOf(await h.command('sue', '/offboard @alex --disable'));
    await h.command('sue', `/offboard confirm ${sueCode}`);
    expect(await h.command('sam', `/offboard confirm ${samCode}`)).toBe(
      `@alex is disabled already; /reinstate @alex brings them back, --remove goes further. (preview ${samCode} cancelled)`,
    );
  });
});

describe('/offboard permissions', () => {
  it('is for supervisors and admins only', async () => {
    const h = await team(1);
    expect(await h.command('amanda', '/offboard @alex')).toBe('/offboard is for supervisors and admins; ask one of them.');
    expect(await h.command('amanda', '/reinstate @alex')).toBe('/reinstate is for supervisors and admins; ask one of them.');
    expect(await h.store.listOffboardings({})).toEqual([]);
  });

  it('nobody can offboard themselves', async () => {
    const h = await team(1);
    expect(await h.command('sam', '/offboard @sam')).toBe('You cannot offboard yourself; ask another supervisor.');
  });

  it('nobody can offboard the last active admin; with a second admin it works', async () => {
    const h = await team(1);
    expect(await h.command('sam', '/offboard @boss')).toBe('@boss is the last active admin and cannot be offboarded; make someone else admin first.');
    await h.core.updateAgent('sue', { role: 'admin' });
    expect(await h.command('sam', '/offboard @boss')).toContain('/offboard confirm ');
  });

  it('refuses an agent offboarded already in the same or a milder mode, and allows going further', async () => {
    const h = await team(1);
    await h.command('sam', `/offboard confirm ${codeOf(await h.command('sam', '/offboard @alex --suspend'))}`);
    expect(await h.command('sam', '/offboard @alex --suspend')).toBe('@alex is suspended already; /reinstate @alex brings them back, --disable or --remove goes further.');
    expect(await h.command('sam', '/offboard @alex --remove')).toContain('Remove @alex: this cannot be undone.');
  });

  it('answers malformed input with one line and the usage, changing nothing', async () => {
    const h = await team(1);
    expect(await h.command('sam', '/offboard @alex --suspend --disable')).toMatch(/^Choose one of --suspend, --disable, --remove \(got --suspend and --disable\)\. Type \/offboard @agent/);
    expect(await h.command('sam', '/offboard @alex --suspend --until someday')).toMatch(/^"someday" is not a future time/);
    expect(await h.command('sam', '/offboard @alex --ratio amanda:2')).toMatch(/^"amanda:2" is not @agent=N in --ratio/);
    expect(await h.command('sam', '/offboard @alex --now')).toMatch(/^Unknown option --now\. Type/);
    expect(await h.command('sam', '/offboard')).toMatch(/^Missing the agent to offboard\. Type/);
    expect(await h.store.listOffboardings({})).toEqual([]);
  });

  it('revoked agents cannot act any more', async () => {
    const h = await team(2);
    await h.command('sam', `/offboard confirm ${codeOf(await h.command('sam', '/offboard @alex --suspend'))}`);
    expect(await h.command('alex', '/mine')).toBe('Your access is revoked (suspended); ask a supervisor.');
  });
});
