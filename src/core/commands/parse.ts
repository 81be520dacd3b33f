import { tokenize, type AgentRef, type Token } from './tokens.js';

export type Command =
  | { name: 'transfer'; conversation?: number | undefined; target: AgentRef; note?: string | undefined }
  | { name: 'unassign'; conversation?: number | undefined; reassign: boolean }
  | { name: 'claim'; conversation?: number | undefined }
  | { name: 'close'; conversation?: number | undefined }
  | { name: 'history'; conversation?: number | undefined }
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

const usage = (line: string, what: string): ParseError => ({ error: `${what}. Type ${line}` });

function takeConversation(line: string, tokens: Token[]): { number?: number; error?: ParseError } {
  const convs = tokens.filter((t) => t.kind === 'conversation');
  if (convs.length > 1) return { error: usage(line, 'Name one conversation only') };
  const first = convs[0];
  return first && first.kind === 'conversation' ? { number: first.number } : {};
}

function noOthers(line: string, tokens: Token[], allowed: Token['kind'][]): ParseError | null {
  const extra = tokens.find((t) => !allowed.includes(t.kind));
  return extra ? usage(line, `Unexpected "${extra.raw}"`) : null;
}

/**
 * The arguments of a known command → typed command, or a one-line error that says what to type
 * instead (`line` shows how the command is typed; it comes from the command catalogue).
 */
export function parseArguments(name: CommandName, text: string, line: string): Command | ParseError {
  const tokens = tokenize(text);
  switch (name) {
    case 'transfer': {
      const conv = takeConversation(line, tokens);
      if (conv.error) return conv.error;
      const agentIdx = tokens.findIndex((t) => t.kind === 'agent');
      const malformed = tokens.find((t, i) => (agentIdx < 0 || i < agentIdx) && t.kind === 'word' && t.raw.startsWith('#'));
      if (malformed) return usage(line, `"${malformed.raw}" is not a conversation number: write # and digits only, like #12`);
      const target = tokens[agentIdx];
      if (!target || target.kind !== 'agent') return usage(line, 'Missing the agent to transfer to');
      const flag = tokens.find((t) => t.kind === 'flag');
      if (flag) return usage(line, `Unknown option ${flag.raw}`);
      const note = tokens
        .filter((t, i) => i !== agentIdx && t.kind !== 'conversation')
        .map((t) => t.raw)
        .join(' ');
      return { name, conversation: conv.number, target: target.ref, note: note || undefined };
    }
    case 'unassign': {
      const conv = takeConversation(line, tokens);
      if (conv.error) return conv.error;
      for (const t of tokens) {
        if (t.kind === 'flag' && t.name !== 'reassign') return usage(line, `Unknown option ${t.raw}`);
        if (t.kind === 'flag' && t.value !== undefined) return usage(line, `--reassign takes no value`);
      }
      const bad = noOthers(line, tokens, ['conversation', 'flag']);
      if (bad) return bad;
      return { name, conversation: conv.number, reassign: tokens.some((t) => t.kind === 'flag') };
    }
    case 'claim':
    case 'close':
    case 'history': {
      const conv = takeConversation(line, tokens);
      if (conv.error) return conv.error;
      return noOthers(line, tokens, ['conversation']) ?? { name, conversation: conv.number };
    }
    case 'queue':
    case 'pause':
    case 'resume': {
      const bad = noOthers(line, tokens, ['word']);
      if (bad) return bad;
      if (tokens.length > 1) return usage(line, 'Name one inbox only');
      const first = tokens[0];
      return { name, inbox: first && first.kind === 'word' ? first.value.toLowerCase() : undefined };
    }
    case 'reinstate': {
      const agents = tokens.filter((t) => t.kind === 'agent');
      const first = agents[0];
      if (!first || first.kind !== 'agent') return usage(line, 'Missing the agent to reinstate');
      return noOthers(line, tokens.filter((t) => t !== first), []) ?? { name, target: first.ref };
    }
    case 'offboard':
      return { name, args: text.trim() };
    case 'start': {
      const first = tokens[0];
      if (tokens.length > 1) return usage(line, 'Unexpected text after the code');
      return { name, code: first ? first.raw : undefined };
    }
    case 'mine':
    case 'available':
    case 'away':
    case 'offline':
    case 'agents':
    case 'help':
      return noOthers(line, tokens, []) ?? { name };
  }
}

export function isParseError(x: Command | ParseError): x is ParseError {
  return 'error' in x;
}
