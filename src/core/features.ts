import { CommandCatalogue } from './commands/catalogue.js';
import { availabilityButtonDefinitions, availabilityCommands } from './commands/availability-commands.js';
import { conversationCommands } from './commands/conversation-commands.js';
import { conversationButtons } from './commands/conversation-buttons.js';
import { helpCommands } from './commands/help-command.js';
import { historyCommands } from './commands/history-command.js';
import { inboxCommands } from './commands/inbox-commands.js';
import { listCommands, supervisorListCommands } from './commands/list-commands.js';
import { offboardingButtons, offboardingCommands } from './offboarding/offboard-command.js';

/**
 * Every feature's commands and buttons, in the order /help and the command menus list them.
 * A new feature adds its definitions here; the parser, /help and the adapters pick them up.
 */
export const CATALOGUE = new CommandCatalogue(
  [...listCommands, ...conversationCommands, ...historyCommands, ...availabilityCommands, ...supervisorListCommands, ...inboxCommands, ...offboardingCommands, ...helpCommands],
  [...conversationButtons, ...offboardingButtons, ...availabilityButtonDefinitions],
);
