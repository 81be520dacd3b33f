const LABELS: Array<[string, string]> = [
  ['agent', 'agents'],
  ['inbox', 'inboxes'],
  ['conversation', 'conversations'],
  ['message', 'messages'],
  ['history', 'history events'],
  ['offboarding', 'offboardings'],
  ['job', 'scheduled jobs'],
];

/** "created now, empty" or "3 agents, 2 inboxes, 1,204 conversations, …" for the start log. */
export function describeDataDir(created: boolean, counts: Readonly<Record<string, number>>): string {
  if (created) return 'created now, empty';
  return LABELS.map(([key, label]) => `${(counts[key] ?? 0).toLocaleString('en-US')} ${label}`).join(', ');
}
