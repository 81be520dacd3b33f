import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandCatalogue } from '../../../src/core/index.js';
import { ACTIONS_SHORTCUT_ID, HOME_OPENED_EVENT, SLACK_CAPABILITIES } from '../../../adapters/slack/index.js';

interface SlashCommand {
  command: string;
  url: string;
  description: string;
  usage_hint?: string;
  should_escape?: boolean;
}

const manifest = parse(readFileSync(new URL('../../../slack-app-manifest.yml', import.meta.url), 'utf8')) as {
  features: { slash_commands: SlashCommand[]; app_home: Record<string, boolean>; shortcuts?: { name: string; type: string; callback_id: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
};
const URL_ = 'https://YOUR-HOST/slack/events';
const commands = manifest.features.slash_commands;
const byName = new Map(commands.map((c) => [c.command, c]));
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What the code registers: every listed command of the catalogue under its own name, but those Slack keeps for itself. */
const standalone = commandCatalogue.list().filter((c) => SLACK_CAPABILITIES.commandNames[c.name] === undefined);

describe('slack-app-manifest.yml', () => {
  it('registers /sb, /sb-help and each catalogue command Slack does not keep for itself, and nothing else', () => {
    expect(commands.map((c) => c.command).sort()).toEqual(['/sb', '/sb-help', ...standalone.map((c) => `/${c.name}`)].sort());
    expect(byName.has('/away')).toBe(false);
    expect(byName.has('/help')).toBe(false);
    // the names the adapter declares for the commands it does not register stand alone are /sb-help and /sb …
    for (const typed of Object.values(SLACK_CAPABILITIES.commandNames)) expect(byName.has(typed.split(' ')[0]!)).toBe(true);
  });

  // Escaping on: a @mention picked from Slack's autocomplete arrives as <@U…|name> (the core finds
  // the agent by Slack user id); off, it arrives as the legacy username, which names no agent.
  it.each(commands.map((c) => [c.command, c] as const))('declares %s at the one request URL, with mentions escaped to user ids', (_name, entry) => {
    expect(entry.url).toBe(URL_);
    expect(entry.should_escape).toBe(true);
    expect(entry.description.length).toBeGreaterThan(0);
  });

  it.each(standalone.map((c) => [c.name, c] as const))('describes /%s with the catalogue summary and arguments', (name, info) => {
    const entry = byName.get(`/${name}`)!;
    expect(entry.description).toBe(cap(info.summary) + (info.audience === 'supervisors' ? ' (supervisors)' : ''));
    expect(entry.usage_hint).toBe(info.args || undefined);
  });

  it('subscribes to channel, private channel and DM messages and sends interactivity to the same URL', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['message.channels', 'message.groups', 'message.im']));
    expect(manifest.settings.event_subscriptions.request_url).toBe(URL_);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: URL_ });
  });

  it('enables the Home tab and subscribes to the event the adapter publishes it on', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain(HOME_OPENED_EVENT);
  });

  it('declares the message shortcut the adapter listens for', () => {
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ name: 'Switchboard actions', type: 'message', callback_id: ACTIONS_SHORTCUT_ID })]);
  });

  it('asks for the bot scopes the adapter uses', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['chat:write', 'im:write', 'im:history', 'channels:history', 'groups:history', 'commands', 'users:read']),
    );
  });
});
