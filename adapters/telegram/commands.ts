import { commandCatalogue, usageLine } from '../../src/core/index.js';

/** Telegram's limit for a command's description in the menu. */
const MAX_DESCRIPTION = 256;

/** The command menu published with setMyCommands: every listed command of the core's catalogue. */
export function botCommands(): { command: string; description: string }[] {
  return commandCatalogue.list().map((c) => {
    const summary = c.summary.charAt(0).toUpperCase() + c.summary.slice(1);
    const how = c.args ? `: ${usageLine(c)}` : '';
    const described = `${summary}${how}${c.audience === 'supervisors' ? ' (supervisors)' : ''}`;
    return { command: c.name, description: described.length <= MAX_DESCRIPTION ? described : `${summary}${c.audience === 'supervisors' ? ' (supervisors)' : ''}` };
  });
}
