// What the store needs to know about a MongoDB connection string before handing it to the driver.

/** Database used when neither the connection string nor the options name one. */
export const DEFAULT_DATABASE = 'switchboard';

// The shape the driver accepts (as in mongodb-connection-string-url): scheme, optional
// user[:password]@, hosts, then /database and ?options. Credentials must be percent-encoded.
const CONNECTION_STRING = /^mongodb(?:\+srv)?:\/\/(?:[^:@]*(?::[^@]*)?@)?(?:(?!:)[^/?@]*)(?<rest>.*)$/i;

/**
 * The database named in the path of a connection string (`mongodb://host/<name>?…`), or undefined
 * when there is none. The driver would fall back to `test` in that case.
 */
export function databaseNameIn(uri: string): string | undefined {
  const rest = CONNECTION_STRING.exec(uri)?.groups?.['rest'];
  if (rest === undefined || !rest.startsWith('/')) return undefined;
  const path = rest.slice(1).split(/[?#]/, 1)[0] ?? '';
  if (path === '') return undefined;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined; // malformed: the driver refuses the string and says why
  }
}

/**
 * The connection string with any password replaced by `****`, for messages and logs. Everything
 * up to the last `@` goes, so that a password with an unescaped `@` or `/` is hidden too.
 */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z0-9+.-]+:\/\/[^:@/?#]*):.*@/i, '$1:****@');
}
