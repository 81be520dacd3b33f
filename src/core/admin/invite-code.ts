import { CODE_ALPHABET, randomCode } from '../deps.js';

/**
 * The one invite-code format: what the admin API issues and what `/start CODE` recognises as an
 * invite (12 unambiguous letters and digits, about 60 random bits; single use, 24 h).
 */
export const INVITE_CODE_LENGTH = 12;
const INVITE_CODE = new RegExp(`^[${CODE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`);

export function randomInviteCode(): string {
  return randomCode(INVITE_CODE_LENGTH);
}

export function isInviteCode(text: string): boolean {
  return INVITE_CODE.test(text);
}
