/**
 * Work in lanes: tasks with the same key run one after the other, in the order they were added;
 * different keys run side by side. Slack delivers events over concurrent requests, so a customer's
 * two quick messages would otherwise be handled at once (and could open two notice threads).
 */
export class Lanes {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every earlier task of `key` has settled; resolves or rejects as `task` does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** Keys with work running or waiting. */
  get size(): number {
    return this.tails.size;
  }
}

/** One lane per person and chat: a conversation's messages (one customer in one inbox) keep their order. */
export function laneOf(event: { chat: { id: string }; sender: { id: string } }): string {
  return `${event.chat.id}:${event.sender.id}`;
}
