import { isSupervisor, type Agent } from '../model/agent.js';
import type { Result } from '../errors.js';
import type { NoticeUpdate } from '../ports/inbound.js';
import type { CommandContext, CommandOutcome } from './context.js';
import { parseArguments, type Command, type CommandName, type ParseError } from './parse.js';

/** Who may use a command: every agent, or supervisors and admins. */
export type Audience = 'everyone' | 'supervisors';

/** A command as users see it: what /help, the Telegram menu, Slack's `/sb` and its manifest show. */
export interface CommandInfo {
  name: CommandName;
  /** The arguments after the name, as typed ('' when none): `[#N] @agent [note]`. */
  args: string;
  /** One line for /help and the command menus. */
  summary: string;
  audience: Audience;
  /** False: accepted but left out of /help and the menus (`/start`). */
  listed: boolean;
}

/** The parsed form of command N (`pause` and `resume` share one shape). */
type CommandShape<C, N> = C extends { name: infer M } ? (N extends M ? C : never) : never;
export type CommandOf<N extends CommandName> = CommandShape<Command, N>;

/** A command a feature registers: its info and what it does with the parsed arguments. */
export interface CommandDefinition<N extends CommandName = CommandName> extends CommandInfo {
  name: N;
  run(ctx: CommandContext, cmd: CommandOf<N>): Promise<Result<CommandOutcome>>;
}

/** A button a feature registers: its action id and what a press does with the button's value. */
export interface ButtonDefinition {
  action: string;
  run(ctx: CommandContext, value: string): Promise<Result<CommandOutcome>>;
  /**
   * What the pressed message shows afterwards (success or not), so that a stale button cannot
   * act twice; undefined leaves the message as it is.
   */
  notice?(ctx: CommandContext, value: string, result: Result<CommandOutcome>): Promise<NoticeUpdate | undefined>;
}

/** Type a command definition against its own arguments, then keep it among the others. */
export function defineCommand<N extends CommandName>(def: CommandDefinition<N>): CommandDefinition {
  return def as unknown as CommandDefinition;
}

/** The line that shows how to type a command: `/transfer [#N] @agent [note]`. */
export function usageLine(info: Pick<CommandInfo, 'name' | 'args'>, typed = `/${info.name}`): string {
  return info.args ? `${typed} ${info.args}` : typed;
}

/** The name as typed (`/Close@SwitchboardBot`, `close`) → the catalogue's key. */
export function normalizeName(raw: string): string {
  return raw.trim().toLowerCase().replace(/^\//, '').replace(/@.*$/, '');
}

/**
 * The one table of commands: each feature registers its commands and buttons here, and the parser,
 * /help, Telegram's command menu, Slack's `/sb` and the Slack manifest test all read it.
 */
export class CommandCatalogue {
  private readonly commands = new Map<string, CommandDefinition>();
  private readonly buttons = new Map<string, ButtonDefinition>();

  constructor(commands: readonly CommandDefinition[] = [], buttons: readonly ButtonDefinition[] = []) {
    for (const c of commands) this.register(c);
    for (const b of buttons) this.registerButton(b);
  }

  register(def: CommandDefinition): this {
    if (this.commands.has(def.name)) throw new Error(`command /${def.name} registered twice`);
    this.commands.set(def.name, def);
    return this;
  }

  registerButton(def: ButtonDefinition): this {
    if (this.buttons.has(def.action)) throw new Error(`button ${def.action} registered twice`);
    this.buttons.set(def.action, def);
    return this;
  }

  find(raw: string): CommandDefinition | null {
    return this.commands.get(normalizeName(raw)) ?? null;
  }

  button(action: string): ButtonDefinition | null {
    return this.buttons.get(action) ?? null;
  }

  /** Every registered command name, listed or not (metric labels take only these). */
  names(): string[] {
    return [...this.commands.keys()];
  }

  /** `/transfer [#N] @agent [note]` (the command must be registered). */
  usage(name: CommandName): string {
    const def = this.commands.get(name);
    return def ? usageLine(def) : `/${name}`;
  }

  /** Text → typed command, or a one-line error that says what to type instead. */
  parse(rawName: string, text: string): Command | ParseError {
    const def = this.find(rawName);
    if (!def) return { error: `Unknown command /${normalizeName(rawName)}. Type /help for the list.` };
    return parseArguments(def.name, text, usageLine(def));
  }

  /** Listed commands, in registration order; for an agent, those the agent may use. */
  list(agent?: Agent): CommandInfo[] {
    const out: CommandInfo[] = [];
    for (const { name, args, summary, audience, listed } of this.commands.values()) {
      if (!listed) continue;
      if (agent && audience === 'supervisors' && !isSupervisor(agent)) continue;
      out.push({ name, args, summary, audience, listed });
    }
    return out;
  }

  /** Every action id a button may carry. */
  buttonActions(): string[] {
    return [...this.buttons.keys()];
  }
}
