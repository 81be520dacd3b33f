const LABELS: Array<[key: string, one: string, many: string]> = [
  ['agent', 'agent', 'agents'],
  ['inbox', 'inbox', 'inboxes'],
  ['conversation', 'conversation', 'conversations'],
  ['message', 'message', 'messages'],
  ['history', 'history event', 'history events'],
  ['offboarding', 'offboarding', 'offboardings'],
  ['job', 'scheduled job', 'scheduled jobs'],
];

/** "created now, empty" or "3 agents, 1 inbox, 1,204 conversations, …" for the start log. */
export function describeDataDir(created: boolean, counts: Readonly<Record<string, number>>): string {
  if (created) return 'created now, empty';
  return LABELS.map(([key, one, many]) => {
    const n = counts[key] ?? 0;
    return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  }).join(', ');
}
