import { tokenize, type AgentRef, type Token } from './tokens.js';

export type Command =
  | { name: 'transfer'; conversation?: number | undefined; target: AgentRef; note?: string | undefined }
  | { name: 'unassign'; conversation?: number | undefined; reassign: boolean }
  | { name: 'claim'; conversation?: number | undefined }
  | { name: 'close'; conversation?: number | undefined }
  | { name: 'mine' }
  | { name: 'queue'; inbox?: string | undefined }
  | { name: 'available' | 'away' | 'offline' }
  | { name: 'agents' }
  | { name: 'pause' | 'resume'; inbox?: string | undefined }
  | { name: 'offboard'; args: string }
  | { name: 'reinstate'; target: AgentRef }
  | { name: 'help' }
  | { name: 'start'; code?: string | undefined };

export type CommandName = Command['name'];

export interface ParseError {
  error: string;
}

export const USAGE: Record<CommandName, string> = {
  transfer: '/transfer [#N] @agent [note]',
  unassign: '/unassign [#N] [--reassign]',
  claim: '/claim [#N]',
  close: '/close [#N]',
  mine: '/mine',
  queue: '/queue [inbox]',
  available: '/available',
  away: '/away',
  offline: '/offline',
  agents: '/agents',
  pause: '/pause [inbox]',
  resume: '/resume [inbox]',
  offboard: '/offboard @agent [--suspend [--until WHEN] | --disable | --remove] [--strategy round-robin|least-busy | --to @agent | --ratio @a=N,@b=M | --hardcoded @a=N,@b=M]',
  reinstate: '/reinstate @agent',
  help: '/help',
  start: '/start',
};

const ALIASES: Record<string, CommandName> = { 'sb-help': 'help', sbhelp: 'help' };

export function resolveName(raw: string): CommandName | null {
  const name = raw.toLowerCase().replace(/^\//, '').replace(/@.*$/, '');
  if (name in ALIASES) return ALIASES[name]!;
  return name in USAGE ? (name as CommandName) : null;
}

const usage = (name: CommandName, what: string): ParseError => ({ error: `${what}. Type ${USAGE[name]}` });

function takeConversation(name: CommandName, tokens: Token[]): { number?: number; error?: ParseError } {
  const convs = tokens.filter((t) => t.kind === 'conversation');
  if (convs.length > 1) return { error: usage(name, 'Name one conversation only') };
  const first = convs[0];
  return first && first.kind === 'conversation' ? { number: first.number } : {};
}

function noOthers(name: CommandName, tokens: Token[], allowed: Token['kind'][]): ParseError | null {
  const extra = tokens.find((t) => !allowed.includes(t.kind));
  return extra ? usage(name, `Unexpected "${extra.raw}"`) : null;
}

/** Text → typed command, or a one-line error that says what to type instead. */
export function parseCommand(rawName: string, text: string): Command | ParseError {
  const name = resolveName(rawName);
  if (!name) return { error: `Unknown command /${rawName.replace(/^\//, '')}. Type /help for the list.` };
  const tokens = tokenize(text);
  switch (name) {
    case 'transfer': {
      const conv = takeConversation(name, tokens);
      if (conv.error) return conv.error;
      const agentIdx = tokens.findIndex((t) => t.kind === 'agent');
      const target = tokens[agentIdx];
      if (!target || target.kind !== 'agent') return usage(name, 'Missing the agent to transfer to');
      const flag = tokens.find((t) => t.kind === 'flag');
      if (flag) return usage(name, `Unknown option ${flag.raw}`);
      const note = tokens
        .filter((t, i) => i !== agentIdx && t.kind !== 'conversation')
        .map((t) => t.raw)
        .join(' ');
      return { name, conversation: conv.number, target: target.ref, note: note || undefined };
    }
    case 'unassign': {
      const conv = takeConversation(name, tokens);
      if (conv.error) return conv.error;
      for (const t of tokens) {
        if (t.kind === 'flag' && t.name !== 'reassign') return usage(name, `Unknown option ${t.raw}`);
        if (t.kind === 'flag' && t.value !== undefined) return usage(name, `--reassign takes no value`);
      }
      const bad = noOthers(name, tokens, ['conversation', 'flag']);
      if (bad) return bad;
      return { name, conversation: conv.number, reassign: tokens.some((t) => t.kind === 'flag') };
    }
    case 'claim':
    case 'close': {
      const conv = takeConversation(name, tokens);
      if (conv.error) return conv.error;
      return noOthers(name, tokens, ['conversation']) ?? { name, conversation: conv.number };
    }
    case 'queue':
    case 'pause':
    case 'resume': {
      const bad = noOthers(name, tokens, ['word']);
      if (bad) return bad;
      if (tokens.length > 1) return usage(name, 'Name one inbox only');
      const first = tokens[0];
      return { name, inbox: first && first.kind === 'word' ? first.value.toLowerCase() : undefined };
    }
    case 'reinstate': {
      const agents = tokens.filter((t) => t.kind === 'agent');
      const first = agents[0];
      if (!first || first.kind !== 'agent') return usage(name, 'Missing the agent to reinstate');
      return noOthers(name, tokens.filter((t) => t !== first), []) ?? { name, target: first.ref };
    }
    case 'offboard':
      return { name, args: text.trim() };
    case 'start': {
      const first = tokens[0];
      if (tokens.length > 1) return usage(name, 'Unexpected text after the code');
      return { name, code: first ? first.raw : undefined };
    }
    case 'mine':
    case 'available':
    case 'away':
    case 'offline':
    case 'agents':
    case 'help':
      return noOthers(name, tokens, []) ?? { name };
  }
}

export function isParseError(x: Command | ParseError): x is ParseError {
  return 'error' in x;
}
