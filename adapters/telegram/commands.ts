/** The command menu published with setMyCommands (names and order as in the product spec). */
export const BOT_COMMANDS: readonly { command: string; description: string }[] = [
  { command: 'mine', description: 'My open conversations' },
  { command: 'claim', description: 'Take a waiting conversation: /claim [#N]' },
  { command: 'transfer', description: 'Hand over: /transfer [#N] @agent [note]' },
  { command: 'unassign', description: 'Leave unassigned: /unassign [#N] [--reassign]' },
  { command: 'close', description: 'Close a conversation: /close [#N]' },
  { command: 'queue', description: 'Waiting conversations: /queue [inbox]' },
  { command: 'available', description: 'I am available for new conversations' },
  { command: 'away', description: 'I am away' },
  { command: 'offline', description: 'I am offline' },
  { command: 'agents', description: 'Agents, availability and load (supervisors)' },
  { command: 'pause', description: 'Stop automatic assignment: /pause [inbox]' },
  { command: 'resume', description: 'Restart automatic assignment: /resume [inbox]' },
  { command: 'offboard', description: 'Offboard an agent: /offboard @agent [options]' },
  { command: 'reinstate', description: 'Bring an agent back: /reinstate @agent' },
  { command: 'help', description: 'Commands you can use' },
];
