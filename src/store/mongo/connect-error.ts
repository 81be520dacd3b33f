import { redactUri } from './connection-uri.js';

export type ConnectStage = 'connect' | 'indexes';

/**
 * The store could not start on the configured server. Its message is one line that names
 * MONGODB_URI (password hidden) and the driver's reason; the driver's error is the `cause`.
 * The stack is that line alone: where in the store the start failed says nothing to an operator.
 */
export class MongoStoreStartError extends Error {
  constructor(uri: string, stage: ConnectStage, database: string, cause: unknown) {
    const where = `MongoDB at MONGODB_URI=${redactUri(uri)}`;
    const why = oneLine(cause).split(uri).join(redactUri(uri));
    super(
      stage === 'connect'
        ? `could not connect to ${where} (database "${database}"): ${why}`
        : `connected to ${where} but could not create the indexes of database "${database}": ${why}`,
      { cause },
    );
    this.name = 'MongoStoreStartError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim() || (error instanceof Error ? error.name : 'unknown error');
}
