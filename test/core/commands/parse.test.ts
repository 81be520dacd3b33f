import { describe, expect, it } from 'vitest';
import { commandCatalogue } from '../../../src/core/index.js';

const parseCommand = (name: string, text: string) => commandCatalogue.parse(name, text);

describe('parseCommand', () => {
  it('reads #N anywhere, @handle, Slack mentions and a free-text note', () => {
    expect(parseCommand('transfer', 'please take @Amanda #12 she knows the case')).toEqual({
      name: 'transfer',
      conversation: 12,
      target: { kind: 'name', value: 'amanda' },
      note: 'please take she knows the case',
    });
    expect(parseCommand('transfer', '<@U024BE7LH|bob> #3')).toEqual({
      name: 'transfer',
      conversation: 3,
      target: { kind: 'slack', id: 'U024BE7LH' },
      note: undefined,
    });
  });

  it('keeps a # word after the agent in the note', () => {
    expect(parseCommand('transfer', '@bobby re #billing')).toEqual({ name: 'transfer', conversation: undefined, target: { kind: 'name', value: 'bobby' }, note: 're #billing' });
  });

  it('strips a Telegram @botname and accepts the Slack help name', () => {
    expect(parseCommand('close@SwitchboardBot', '#4')).toEqual({ name: 'close', conversation: 4 });
  });

  it('reads flags', () => {
    expect(parseCommand('unassign', '#9 --reassign')).toEqual({ name: 'unassign', conversation: 9, reassign: true });
    expect(parseCommand('unassign', '')).toEqual({ name: 'unassign', conversation: undefined, reassign: false });
  });

  it.each([
    ['transfer', '', 'Missing the agent to transfer to. Type /transfer [#N] @agent [note]'],
    ['transfer', '#1 @a --force', 'Unknown option --force. Type /transfer [#N] @agent [note]'],
    ['transfer', '#abc @bobby', '"#abc" is not a conversation number: write # and digits only, like #12. Type /transfer [#N] @agent [note]'],
    ['transfer', '#1O @bobby please', '"#1O" is not a conversation number: write # and digits only, like #12. Type /transfer [#N] @agent [note]'],
    ['transfer', 'see # @bobby', '"#" is not a conversation number: write # and digits only, like #12. Type /transfer [#N] @agent [note]'],
    ['claim', '#abc', 'Unexpected "#abc". Type /claim [#N]'],
    ['claim', '#1 #2', 'Name one conversation only. Type /claim [#N]'],
    ['close', 'x', 'Unexpected "x". Type /close [#N]'],
    ['mine', '@amanda', 'Unexpected "@amanda". Type /mine'],
    ['reinstate', '', 'Missing the agent to reinstate. Type /reinstate @agent'],
    ['reinstate', '@a @b', 'Unexpected "@b". Type /reinstate @agent'],
    ['pause', 'a b', 'Name one inbox only. Type /pause [inbox]'],
    ['unassign', '--reassign=yes', '--reassign takes no value. Type /unassign [#N] [--reassign]'],
    ['nope', '', 'Unknown command /nope. Type /help for the list.'],
  ])('/%s %s → one-line error', (name, text, error) => {
    expect(parseCommand(name, text)).toEqual({ error });
  });
});
