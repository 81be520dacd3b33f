// Two agents coming online at the same moment drain one queue side by side: a pick that loses its
// conversation to the other drain gives its slot back, and what that slot then placed is announced
// too. Before, those notices were dropped: agents held conversations nobody had told them about.
import { expect, it } from 'vitest';
import { makeCore } from '../support/core-harness.js';

it('agents coming online at once are each told about every conversation they were given', async () => {
  const h = await makeCore();
  await h.agent('ann', { availability: 'offline', capacity: 100 });
  await h.agent('bob', { availability: 'offline', capacity: 100 });
  await h.inbox('support', ['ann', 'bob']);
  for (let i = 0; i < 20; i++) await h.customerSays(`c${i}`, `question ${i}`);
  h.telegram.clear();
  await Promise.all(['ann', 'bob'].map((a) => h.core.updateAgent(a, { availability: 'online' })));
  for (const agent of ['ann', 'bob']) {
    const held = (await h.store.listAssigned(agent)).map((c) => c.number).sort((a, b) => a - b);
    const told = h.telegram
      .texts(await h.chatOf(agent))
      .map((t) => Number(/^New conversation #(\d+)/.exec(t)?.[1]))
      .filter((n) => Number.isInteger(n))
      .sort((a, b) => a - b);
    expect({ agent, told }).toEqual({ agent, told: held });
  }
  expect((await h.store.listAssigned('ann')).length + (await h.store.listAssigned('bob')).length).toBe(20);
});
