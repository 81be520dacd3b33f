import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../../fakes/telegram-api.js';
import type { Person } from '../telegram-updates.js';
import { numberIn, person, Switchboard } from './switchboard.js';

/**
 * Commands typed on Telegram, with and without #N, as replies and not. Ann and Ben are agents,
 * Sue a supervisor (not in the rotation). Alice's conversation starts with Ann.
 */
describe('Telegram end to end: commands', () => {
  let sb: Switchboard;
  let ann: Person;
  let ben: Person;
  let sue: Person;
  let alice: Person;
  let notice: RecordedCall;
  let n: number;

  beforeEach(async () => {
    sb = await Switchboard.start();
    ann = person('Ann', 'ann_tg');
    ben = person('Ben', 'ben_on_telegram');
    sue = person('Sue');
    alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.addAgent('ben', ben);
    await sb.core.createAgent({ handle: 'sue', name: 'Sue', role: 'supervisor', telegramUserId: String(sue.id), availability: 'online' });
    await sb.say(alice, 'I need help');
    notice = await sb.received(ann, 'New conversation');
    n = numberIn(String(notice.params.text));
  });
  afterEach(async () => sb?.close());

  const assignee = async (number: number) => (await sb.conversation(number)).assignee;
  const status = async (number: number) => (await sb.conversation(number)).status;

  describe('/transfer', () => {
    it('with #N: moves the conversation and tells the new assignee, with the note', async () => {
      expect(await sb.command(ann, `/transfer #${n} @ben billing question`)).toBe(`Transferred #${n} to @ben.`);
      const benNotice = await sb.received(ben, `#${n}`);
      expect(benNotice.params.text).toContain('transferred to you by @ann');
      expect(benNotice.params.text).toContain('Note: billing question');
      expect(await assignee(n)).toBe('ben');
      // Ben can now answer by replying to his notice.
      await sb.reply(ben, 'Ben here, happy to help', benNotice);
      await sb.received(alice, 'Ben here, happy to help');
    });

    it('as a reply, without #N, and naming the agent by Telegram username', async () => {
      expect(await sb.command(ann, '/transfer @ben_on_telegram', notice)).toBe(`Transferred #${n} to @ben.`);
      expect(await assignee(n)).toBe('ben');
    });

    it('without #N and not a reply: the caller’s only open conversation', async () => {
      expect(await sb.command(ann, '/transfer@switchboard_test_bot @ben')).toBe(`Transferred #${n} to @ben.`);
    });

    it('refuses a non-assignee, an unknown agent and a missing target, changing nothing', async () => {
      const answers = [
        await sb.command(ben, `/transfer #${n} @ben`),
        await sb.command(ann, `/transfer #${n} @nobody`),
        await sb.command(ann, '/transfer'),
        await sb.command(ann, `/transfer #${n} #${n + 1} @ben`),
      ];
      expect(answers[0]).toMatch(/only its assignee or a supervisor/);
      expect(answers[1]).toMatch(/No agent @nobody/);
      expect(answers[2]).toMatch(/Missing the agent.*\/transfer \[#N\] @agent/);
      expect(answers[3]).toMatch(/one conversation only/);
      for (const answer of answers) expect(answer.split('\n')).toHaveLength(1);
      expect(await assignee(n)).toBe('ann');
    });

    it('a supervisor may transfer a conversation that is not theirs', async () => {
      expect(await sb.command(sue, `/transfer #${n} @ben`)).toBe(`Transferred #${n} to @ben.`);
      await sb.received(ann, `#${n} was transferred to @ben by @sue`);
    });
  });

  describe('/unassign and /claim', () => {
    it('unassigns the only conversation, and another member claims it by number', async () => {
      expect(await sb.command(ann, '/unassign')).toMatch(new RegExp(`^Unassigned #${n}\\.`));
      expect(await status(n)).toBe('unassigned');
      expect(await sb.command(ben, `/claim #${n}`)).toBe(`You claimed #${n} (Alice).`);
      expect(await assignee(n)).toBe('ben');
    });

    it('unassign as a reply with --reassign routes it to someone else at once', async () => {
      expect(await sb.command(ann, '/unassign --reassign', notice)).toBe(`Unassigned #${n} and gave it to @ben.`);
      await sb.received(ben, `#${n}`);
    });

    it('claim without #N takes the oldest waiting conversation', async () => {
      const carol = person('Carol');
      await sb.command(ann, `/unassign #${n}`);
      await sb.command(ann, '/away');
      await sb.command(ben, '/away');
      await sb.say(carol, 'hello?');
      await sb.received(carol, /someone will answer/);
      expect(await sb.command(ben, '/claim')).toBe(`You claimed #${n} (Alice).`);
    });

    it('refuses a claim of an assigned conversation and an unknown number', async () => {
      expect(await sb.command(ben, `/claim #${n}`)).toBe(`Conversation #${n} is already assigned to @ann; /queue lists what waits.`);
      expect(await sb.command(ben, '/claim #999')).toBe('There is no conversation #999. /queue lists what waits.');
      expect(await assignee(n)).toBe('ann');
    });
  });

  describe('/close', () => {
    it('closes by replying; the customer’s next message opens a new conversation', async () => {
      expect(await sb.command(ann, '/close', notice)).toBe(`Closed #${n}. A new message from Alice will open a new conversation.`);
      expect(await status(n)).toBe('closed');
      await sb.say(alice, 'one more question');
      const next = await sb.api.waitForCall('sendMessage', (p) => String(p.text).startsWith('New conversation') && String(p.text).includes('one more question'));
      expect(numberIn(String(next.params.text))).toBeGreaterThan(n);
    });

    it('closes by #N, and a second close says it is already closed', async () => {
      expect(await sb.command(ann, `/close #${n}`)).toMatch(/^Closed/);
      expect(await sb.command(ann, `/close #${n}`)).toBe(`Conversation #${n} is already closed.`);
    });
  });

  describe('/mine', () => {
    it('lists the caller’s open conversations', async () => {
      const answer = await sb.command(ann, '/mine');
      expect(answer).toContain('Your open conversations (1/10):');
      expect(answer).toContain(`#${n} telegram · Alice`);
      expect(await sb.command(ben, '/mine')).toBe('You have no open conversations (online).');
    });
  });

  describe('malformed and forbidden commands', () => {
    it('answers each with one line that says what to type, and changes nothing', async () => {
      const answers = [
        await sb.command(ann, '/frobnicate'),
        await sb.command(ann, '/mine everything'),
        await sb.command(ann, '/unassign --now'),
        await sb.command(ann, '/close #999'),
        await sb.command(ann, '/agents'),
      ];
      expect(answers[0]).toBe('Unknown command /frobnicate. Type /help for the list.');
      expect(answers[1]).toMatch(/Unexpected "everything".*\/mine/);
      expect(answers[2]).toMatch(/Unknown option --now.*\/unassign/);
      expect(answers[3]).toMatch(/no conversation #999/);
      expect(answers[4]).toMatch(/for supervisors/);
      for (const answer of answers) expect(answer.split('\n')).toHaveLength(1);
      expect(await assignee(n)).toBe('ann');
      expect(await status(n)).toBe('assigned');
    });

    it('refuses agent commands from customers in one line, and greets on /start', async () => {
      const before = sb.delivered(ann).length;
      expect(await sb.command(alice, `/close #${n}`)).toBe('Commands are for agents of this team. Just write your message and we will answer.');
      expect((await sb.command(alice, '/start')).split('\n')).toHaveLength(1);
      expect(await status(n)).toBe('assigned');
      // Neither command was relayed to the agent as a customer message.
      await sb.settle();
      expect(sb.delivered(ann)).toHaveLength(before);
    });
  });
});
