const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODE_LENGTH = 22; // 132 random bits

/**
 * A random, url-safe invite code (fits Telegram's `?start=` parameter: [A-Za-z0-9_-], at most 64).
 * Uses the Web Crypto global, so the core stays free of node modules. 256 is a multiple of 64,
 * so `byte & 63` picks every character with the same probability.
 */
export function randomInviteCode(): string {
  const bytes = new Uint8Array(CODE_LENGTH);
  globalThis.crypto.getRandomValues(bytes);
  let code = '';
  for (const b of bytes) code += ALPHABET[b & 63];
  return code;
}
