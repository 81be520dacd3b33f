import type { InboxView } from '../api.js';
import { err, ok, type Result } from '../errors.js';
import { notifyChange, type AdminDeps } from './deps.js';
import { inboxNotFound, loadInboxView } from './inboxes.js';
import { membersSchema } from './schemas.js';
import { parseBody } from './validate.js';

const MEMBERS_SHAPE = 'send {"handles": ["amanda", "mathew"]}';

/**
 * Make the inbox's rotation exactly these agents: members who stay keep their place, new ones join
 * at the end in the order given, the others leave. Unknown or removed agents change nothing.
 */
export async function setMembers(deps: AdminDeps, name: string, body: unknown): Promise<Result<InboxView>> {
  const parsed = parseBody(membersSchema, body, { shape: MEMBERS_SHAPE });
  if (!parsed.ok) return parsed;
  const handles = parsed.value.handles;
  const twice = handles.find((h, i) => handles.indexOf(h) !== i);
  if (twice !== undefined) {
    return err('invalid_argument', `handles names @${twice} twice: list each agent once.`, 'handles');
  }
  const inbox = await deps.store.getInbox(name);
  if (!inbox) return inboxNotFound(name);

  const agents = await deps.store.getAgents(handles);
  const known = new Set(agents.map((a) => a.handle));
  const unknown = handles.filter((h) => !known.has(h));
  if (unknown.length > 0) {
    return err(
      'agent_not_found',
      `No agent ${unknown.map((h) => `@${h}`).join(', ')}: create ${unknown.length > 1 ? 'them' : 'it'} with POST /api/agents first, or leave ${unknown.length > 1 ? 'them' : 'it'} out.`,
      'handles',
    );
  }
  const removed = agents.filter((a) => a.status === 'removed').map((a) => `@${a.handle}`);
  if (removed.length > 0) {
    return err('conflict', `${removed.join(', ')} ${removed.length > 1 ? 'were' : 'was'} removed and cannot join an inbox: leave ${removed.length > 1 ? 'them' : 'it'} out.`, 'handles');
  }

  // Member by member, then a compare-and-set of the inbox's members version: when another
  // setMembers ran meanwhile (its changes interleaved with ours), compare again and apply what is
  // still missing, so the list ends exactly as one of the calls asked, never as a mix.
  const wanted = new Set(handles);
  const joined = new Set<string>();
  const left = new Set<string>();
  for (let round = 0; ; round++) {
    const version = await deps.store.membersVersion(name);
    const current = await deps.store.listMembers(name);
    const currentHandles = new Set(current.map((m) => m.handle));
    const leaving = current.filter((m) => !wanted.has(m.handle)).map((m) => m.handle);
    const joining = handles.filter((h) => !currentHandles.has(h));
    for (const handle of leaving) if (await deps.store.removeMember(name, handle)) left.add(handle);
    const at = deps.clock.now();
    for (const handle of joining) {
      await deps.store.addMember(name, handle, at);
      joined.add(handle);
    }
    if (await deps.store.bumpMembersVersion(name, version)) break;
    if (round >= 20) return err('conflict', `The members of inbox ${name} keep changing; send the list again.`, 'handles');
  }
  const joining = [...joined].filter((h) => wanted.has(h));
  const leaving = [...left].filter((h) => !wanted.has(h));
  if (leaving.length > 0 || joining.length > 0) {
    deps.logger.info({ inbox: name, joined: joining, left: leaving }, 'inbox members set');
  }

  if (joining.length > 0) await notifyChange(deps, 'inbox', name);
  for (const handle of [...joining, ...leaving]) await notifyChange(deps, 'agent', handle);
  return ok(await loadInboxView(deps.store, inbox));
}
