import { beforeEach, describe, expect, it } from 'vitest';
import { failure, harness, value, type Harness } from './setup.js';

describe('setting the members of an inbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = harness();
    for (const handle of ['amanda', 'mathew', 'geraldine', 'support']) value(await h.admin.createAgent({ handle, name: handle }));
    value(await h.admin.createInbox({ name: 'help', platform: 'telegram' }));
  });

  it('sets the rotation in the order given and shows it on the inbox and the agents', async () => {
    const inbox = value(await h.admin.setMembers('help', { handles: ['mathew', 'amanda'] }));
    expect(inbox.members).toEqual(['mathew', 'amanda']);
    expect(value(await h.admin.getInbox('help')).members).toEqual(['mathew', 'amanda']);
    expect(value(await h.admin.getAgent('amanda')).inboxes).toEqual(['help']);
    expect(value(await h.admin.getAgent('geraldine')).inboxes).toEqual([]);
  });

  it('keeps the place of members who stay, appends new ones and drops the others', async () => {
    value(await h.admin.setMembers('help', { handles: ['amanda', 'mathew', 'geraldine'] }));
    const inbox = value(await h.admin.setMembers('help', { handles: ['support', 'geraldine', 'amanda'] }));
    expect(inbox.members).toEqual(['amanda', 'geraldine', 'support']);
    expect(value(await h.admin.getAgent('mathew')).inboxes).toEqual([]);
    expect(value(await h.admin.setMembers('help', { handles: [] })).members).toEqual([]);
  });

  it('calls back for the inbox when someone joins and for every agent who joined or left', async () => {
    value(await h.admin.setMembers('help', { handles: ['amanda', 'mathew'] }));
    expect(h.inboxChanges).toEqual(['help']);
    expect(h.agentChanges).toEqual(['amanda', 'mathew']);
    h.inboxChanges.length = 0;
    h.agentChanges.length = 0;
    value(await h.admin.setMembers('help', { handles: ['amanda'] }));
    expect(h.inboxChanges).toEqual([]);
    expect(h.agentChanges).toEqual(['mathew']);
    h.agentChanges.length = 0;
    value(await h.admin.setMembers('help', { handles: ['amanda'] }));
    expect(h.agentChanges).toEqual([]);
  });

  it('refuses unknown agents by name and changes nothing', async () => {
    value(await h.admin.setMembers('help', { handles: ['amanda'] }));
    const error = failure(await h.admin.setMembers('help', { handles: ['mathew', 'ghost', 'nobody'] }));
    expect(error).toMatchObject({ code: 'agent_not_found', field: 'handles' });
    expect(error.message).toContain('@ghost, @nobody');
    expect(value(await h.admin.getInbox('help')).members).toEqual(['amanda']);
  });

  it('refuses removed agents, duplicates and bad bodies', async () => {
    await h.store.updateAgent('support', { status: 'removed' });
    expect(failure(await h.admin.setMembers('help', { handles: ['support'] }))).toMatchObject({ code: 'conflict', field: 'handles' });
    expect(failure(await h.admin.setMembers('help', { handles: ['amanda', 'amanda'] }))).toMatchObject({
      code: 'invalid_argument',
      field: 'handles',
    });
    expect(failure(await h.admin.setMembers('help', { handles: 'amanda' }))).toMatchObject({ field: 'handles' });
    expect(failure(await h.admin.setMembers('help', ['amanda']))).toMatchObject({ field: 'body' });
    expect(failure(await h.admin.setMembers('help', { members: ['amanda'] }))).toMatchObject({ field: 'members' });
    expect(failure(await h.admin.setMembers('nowhere', { handles: [] }))).toMatchObject({ code: 'inbox_not_found' });
  });
});
