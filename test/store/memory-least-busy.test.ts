import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/core/index.js';
import { pickLeastBusy } from '../../src/core/routing/least-busy.js';
import { rotateAfter } from '../../src/core/routing/round-robin.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

describe('MemoryStore.leastBusyMember', () => {
  it('agrees with a full scan through random changes of load, availability, status and membership', async () => {
    const store = new MemoryStore();
    const at = new Date(0);
    await store.createInbox({ name: 'a', platform: 'telegram', strategy: 'least-busy', paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: at });
    const handles = Array.from({ length: 25 }, (_, i) => `h${i}`);
    for (const handle of handles) {
      await store.createAgent({ handle, name: handle, role: 'agent', status: 'active', availability: 'online', capacity: 4, openCount: 0, homePlatform: 'telegram', createdAt: at });
    }
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let step = 0; step < 3000; step++) {
      const h = handles[rand(handles.length)]!;
      switch (rand(7)) {
        case 0:
          await store.addMember('a', h, at);
          break;
        case 1:
          if (rand(4) === 0) await store.removeMember('a', h);
          break;
        case 2:
          await store.reserveSlot(h, { requireOnline: false, ignoreCapacity: rand(3) === 0 });
          break;
        case 3:
          await store.releaseSlot(h);
          break;
        case 4:
          await store.updateAgent(h, { availability: (['online', 'away', 'offline'] as const)[rand(3)]! });
          break;
        case 5:
          await store.updateAgent(h, { status: rand(5) === 0 ? 'suspended' : 'active', capacity: 1 + rand(5) });
          break;
        case 6:
          break;
      }
      const members = await store.listMembers('a');
      const cursor = members.length ? members[rand(members.length)]!.seq : 0;
      const excluded = rand(3) === 0 ? [handles[rand(handles.length)]!] : [];
      const agents = new Map<string, Agent>((await store.getAgents(members.map((m) => m.handle))).map((x) => [x.handle, x]));
      const expected = pickLeastBusy(rotateAfter(members, cursor), agents, new Set(excluded));
      const actual = await store.leastBusyMember('a', cursor, excluded);
      expect(actual?.handle ?? null, `step ${step}`).toBe(expected?.handle ?? null);
    }
  });
});
