/**
 * What the edges and the language layer need to know about WhatsApp message templates: the payloads the
 * bot puts on a template's quick-reply buttons (so a tap comes back as something it recognises), and a
 * template status change as the webhook reports it. The registry and mappings live in src/templates/.
 */

/** What a template's quick-reply button does when the customer taps it. */
export const TEMPLATE_BUTTON_ACTIONS = ['track', 'menu', 'person', 'optout'] as const;
export type TemplateButtonAction = (typeof TEMPLATE_BUTTON_ACTIONS)[number];

/** The payload sent on each button, by action: a tap comes back as `user.button` with this id. */
export const TEMPLATE_BUTTON_PAYLOADS: Readonly<Record<TemplateButtonAction, string>> = {
  track: 'tpl:track',
  menu: 'tpl:menu',
  person: 'tpl:person',
  optout: 'tpl:optout',
};

/** The action of a tapped template button's payload, if it is one of ours. */
export function templateButtonAction(payload: string): TemplateButtonAction | undefined {
  return TEMPLATE_BUTTON_ACTIONS.find((action) => TEMPLATE_BUTTON_PAYLOADS[action] === payload);
}

/**
 * A `message_template_status_update` webhook: a template of the WhatsApp Business Account `wabaId` was
 * approved, rejected, paused, disabled… (`event`, upper case as Meta writes it). No personal data.
 */
export interface TemplateStatusUpdate {
  /** The account (`entry[].id`); absent only in a malformed entry. */
  wabaId?: string;
  /** Meta's template id. */
  templateId: string;
  name: string;
  language: string;
  event: string;
  /** Meta's reason (`ABUSIVE_CONTENT`, `INCORRECT_CATEGORY`, …); absent when Meta says none. */
  reason?: string;
}
