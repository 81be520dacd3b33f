// The handling of an update writes without waiting for each write (the update is redone after a
// crash), so what matters is the moment something leaves the process: everything that led to a
// message is on disk before the platform gets it. Killed right there, nothing is lost.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/core/index.js';
import { openDataDir, type DataDir } from '../../src/store/embedded/data-dir.js';
import { makeCore } from '../support/core-harness.js';
import { tempDir } from './data-dir-support.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/crash-at-send.ts', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Run the fixture on a new directory until it is killed at `moment`, then open what it left. */
async function killedAt(moment: 'send' | 'answered' | 'dropped'): Promise<DataDir> {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const child = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, tmp.dir, moment], { encoding: 'utf8', timeout: 60_000 });
  expect(child.signal, child.stderr).toBe('SIGKILL');
  const data = await openDataDir(tmp.dir);
  cleanups.push(() => data.close());
  return data;
}

describe('a data directory killed as a message leaves', () => {
  it('keeps the conversation, the customer message and the notice, which goes out once after the restart', async () => {
    const data = await killedAt('send');
    const conversation = await data.store.getConversation(1);
    expect(conversation).toMatchObject({ status: 'assigned', assignee: 'ann' });
    expect((await data.store.listMessages(1)).map((m) => m.text)).toEqual(['My parcel never came']);
    expect(await data.store.countOutbox()).toBe(1);

    // the restarted process sends what was on its way, once
    const h = makeCore({ store: data.store });
    await h.core.deps.courier.start();
    const chat = await h.chatOf('ann');
    await expect.poll(() => h.telegram.texts(chat).filter((t) => t.includes('My parcel never came')).length).toBe(1);
    await expect.poll(() => data.store.countOutbox()).toBe(0);
  });

  it('keeps what a command did once its answer is ready to go out, the update marked handled', async () => {
    const data = await killedAt('answered');
    expect(await data.store.isHandled('update-1')).toBe(true);
    expect((await data.store.getAgent('ann'))!.availability).toBe('away');
  });

  it('killed as the intake drops a handled update: the update is either still kept, and handled at the restart, or done with everything on disk', async () => {
    const data = await killedAt('dropped');
    const h = makeCore({ store: data.store });
    if ((await data.store.countIntake()) === 1) {
      // not dropped on disk: nothing of its handling may be there as done, and the restart handles it
      expect(await data.store.isHandled('update-1')).toBe(false);
      const [kept] = await data.store.listIntake({}, 1);
      await h.core.deps.courier.start();
      await h.core.handleInbound(kept!.payload as InboundEvent);
      await data.store.dropIntake(kept!.key);
    } else {
      await h.core.deps.courier.start();
    }
    expect(await data.store.isHandled('update-1')).toBe(true);
    expect(await data.store.getConversation(1)).toMatchObject({ status: 'assigned', assignee: 'ann' });
    expect((await data.store.listMessages(1)).map((m) => m.text)).toEqual(['My parcel never came']);
    expect(await data.store.countIntake()).toBe(0);
    // the notice reached ann before the kill, or after the restart: never lost
    await expect.poll(() => data.store.countOutbox()).toBe(0);
  });
});
