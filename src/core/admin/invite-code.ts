import { randomCode } from '../deps.js';

/**
 * The one invite-code format: what the admin API issues and what `/start CODE` recognises as an
 * invite (12 unambiguous letters and digits, about 60 random bits; single use, 24 h).
 */
export const INVITE_CODE_LENGTH = 12;
/** Issued from CODE_ALPHABET; recognised as any 12 capital letters and digits, so a mistyped O or 1 is answered as an invalid code. */
const INVITE_CODE = new RegExp(`^[A-Z0-9]{${INVITE_CODE_LENGTH}}$`);

export function randomInviteCode(): string {
  return randomCode(INVITE_CODE_LENGTH);
}

export function isInviteCode(text: string): boolean {
  return INVITE_CODE.test(text);
}
