/** The data directory cannot be used: the message is the one line an operator sees at start. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}
