import { describe, expect, it } from 'vitest';
import { fitAnswer, MAX_ANSWER_LENGTH, quote } from '../../../src/core/delivery/notices.js';
import { makeCore } from '../../support/core-harness.js';

const EMOJI = '😀'; // two UTF-16 code units
/** No half of a surrogate pair on its own (what platforms refuse as invalid UTF-8). */
const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('cutting texts to fit', () => {
  it('quote never cuts an emoji in half', () => {
    const text = `${'a'.repeat(498)}${EMOJI}${'b'.repeat(20)}`;
    const q = quote(text, 500);
    expect(wellFormed(q)).toBe(true);
    expect(q.length).toBeLessThanOrEqual(500);
    expect(q.endsWith('…')).toBe(true);
  });

  it('fitAnswer never cuts an emoji in half and stays within the limit', () => {
    const at = MAX_ANSWER_LENGTH - 21; // the emoji straddles the cut
    const text = `${'a'.repeat(at)}${EMOJI}${'b'.repeat(100)}`;
    const fitted = fitAnswer(text);
    expect(wellFormed(fitted)).toBe(true);
    expect(fitted.length).toBeLessThanOrEqual(MAX_ANSWER_LENGTH);
  });

  it("an agent's notice quoting a long customer message with emoji is well-formed text", async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', `${'a'.repeat(498)}${EMOJI} and more`);
    const [notice] = h.telegram.texts(await h.chatOf('amanda'));
    expect(wellFormed(notice!)).toBe(true);
  });
});
