/**
 * Runs the tasks given for one key one after another (in the order given), tasks of different keys
 * at once. Used where operations of this process would otherwise only race each other for one
 * document: taking turns costs no extra database round trips, while racing costs a retry per
 * loser. Other processes are still told apart by the conditional writes inside the tasks.
 */
export class KeyLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const settled = result.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }
}
