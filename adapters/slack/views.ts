import type { Form } from '../../src/core/index.js';

/** The callback_id of Switchboard's forms (views.open); submissions come back with it. */
export const FORM_CALLBACK_ID = 'sb-form';
/** Block ids of a form's parts: errors for the choice are shown under it (response_action: errors). */
export const CHOICE_BLOCK = 'choice';
export const TEXT_BLOCK = 'text';

/** Where the form was opened from, so that its submission can change that message and answer there. */
export interface FormOrigin {
  /** The core's action the submission presses. */
  action: string;
  channel?: string | undefined;
  ts?: string | undefined;
  /** response_url of an ephemeral message the form was opened from. */
  responseUrl?: string | undefined;
  /** The text of the message it was opened from (cut to fit private_metadata), to change it afterwards. */
  text?: string | undefined;
}

/** Room for the origin's text in private_metadata (3,000 characters in all). */
export const ORIGIN_TEXT_MAX = 2400;

const TITLE_MAX = 24;
const OPTION_TEXT_MAX = 75;
const OPTION_VALUE_MAX = 150;
const MAX_OPTIONS = 100;
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** A core form → a Slack modal: a static select for the choice, an optional multiline text. */
export function formView(form: Form, origin: FormOrigin): Record<string, unknown> {
  const options = form.choices
    .filter((c) => c.value.length <= OPTION_VALUE_MAX)
    .slice(0, MAX_OPTIONS)
    .map((c) => ({ text: { type: 'plain_text', text: cut(c.label, OPTION_TEXT_MAX), emoji: true }, value: c.value }));
  const blocks: Record<string, unknown>[] = [
    {
      type: 'input',
      block_id: CHOICE_BLOCK,
      label: { type: 'plain_text', text: form.choiceLabel },
      element: { type: 'static_select', action_id: CHOICE_BLOCK, placeholder: { type: 'plain_text', text: 'Choose' }, options },
    },
  ];
  if (form.textLabel) {
    blocks.push({
      type: 'input',
      block_id: TEXT_BLOCK,
      optional: true,
      label: { type: 'plain_text', text: form.textLabel },
      element: { type: 'plain_text_input', action_id: TEXT_BLOCK, multiline: true, max_length: 2000 },
    });
  }
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: cut(form.title, TITLE_MAX) },
    submit: { type: 'plain_text', text: cut(form.submit, TITLE_MAX) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** private_metadata → the form's origin, or null when it is not one of ours. */
export function formOrigin(metadata: string | undefined): FormOrigin | null {
  try {
    const origin = JSON.parse(metadata ?? '') as Partial<FormOrigin>;
    return typeof origin.action === 'string' ? (origin as FormOrigin) : null;
  } catch {
    return null;
  }
}
