import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = readFileSync(new URL('../../../slack-app-manifest.yml', import.meta.url), 'utf8');
const COMMANDS = ['transfer', 'unassign', 'offboard', 'claim', 'close', 'mine', 'queue', 'available', 'away', 'offline', 'agents', 'pause', 'resume', 'reinstate', 'sb-help'];

/** The lines of one slash command entry in the manifest. */
function commandEntry(name: string): string {
  const start = manifest.indexOf(`- command: /${name}\n`);
  if (start < 0) return '';
  const next = manifest.indexOf('- command:', start + 1);
  const end = next < 0 ? manifest.indexOf('oauth_config:', start) : next;
  return manifest.slice(start, end);
}

describe('slack-app-manifest.yml', () => {
  // Escaping on: a @mention picked from Slack's autocomplete arrives as <@U…|name> (the core finds
  // the agent by Slack user id); off, it arrives as the legacy username, which names no agent.
  it.each(COMMANDS)('declares /%s at the one request URL, with mentions escaped to user ids', (name) => {
    const entry = commandEntry(name);
    expect(entry).toContain('url: https://YOUR-HOST/slack/events');
    expect(entry).toContain('should_escape: true');
  });

  it('subscribes to channel, private channel and DM messages and sends interactivity to the same URL', () => {
    for (const event of ['message.channels', 'message.groups', 'message.im']) expect(manifest).toContain(`- ${event}\n`);
    expect(manifest).toMatch(/event_subscriptions:\n\s+request_url: https:\/\/YOUR-HOST\/slack\/events/);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true\n\s+request_url: https:\/\/YOUR-HOST\/slack\/events/);
  });

  it('asks for the bot scopes the adapter uses', () => {
    for (const scope of ['chat:write', 'im:write', 'im:history', 'channels:history', 'groups:history', 'commands', 'users:read']) {
      expect(manifest).toContain(`- ${scope}\n`);
    }
  });
});
