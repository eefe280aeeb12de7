/**
 * Template quick replies at the edges: the payloads the bot sets go out as Graph button components, and a
 * tap on one comes back as the menu's own entry (track, menu, person) or the customer's opt-out.
 */
import { describe, expect, it } from 'vitest';
import { trackingConcern } from '../../flows/tracking.flow.js';
import { toFlowEvent, TRACK_ROW_ID } from '../../src/language/intents.js';
import { TEMPLATE_BUTTON_PAYLOADS } from '../../src/templates/purposes.js';
import { WhatsAppValidationError } from '../../src/whatsapp/errors.js';
import { toGraphPayloads, validateOutbound } from '../../src/whatsapp/messages.js';
import { placeholdersOf, toTemplateInfo } from '../../src/whatsapp/templates.js';

const tap = (id: string) => ({ type: 'user.button' as const, id, title: 'x' });

describe('template button taps', () => {
  it('when track is tapped, then the flow gets the tracking row of the menu', () => {
    expect(TRACK_ROW_ID).toBe(trackingConcern.menu?.row.id);
    expect(toFlowEvent(tap(TEMPLATE_BUTTON_PAYLOADS.track))).toEqual(tap(TRACK_ROW_ID));
  });

  it('when menu, person or optout is tapped, then the flow gets the command or the opt-out', () => {
    expect(toFlowEvent(tap(TEMPLATE_BUTTON_PAYLOADS.menu))).toEqual({ type: 'command.menu' });
    expect(toFlowEvent(tap(TEMPLATE_BUTTON_PAYLOADS.person))).toEqual({ type: 'command.human' });
    expect(toFlowEvent(tap(TEMPLATE_BUTTON_PAYLOADS.optout))).toEqual({ type: 'privacy.optOut' });
    expect(toFlowEvent(tap('Stop promotions'))).toEqual(tap('Stop promotions'));
  });
});

describe('template sends', () => {
  const recipient = { waId: '12025550143' };

  it('when button payloads are given, then each non-empty one is a quick_reply component at its index', () => {
    const [payload] = toGraphPayloads(
      {
        type: 'reply.template',
        name: 'order_update',
        language: 'es',
        bodyParameters: ['1042'],
        buttonPayloads: ['tpl:track', '', 'tpl:optout'],
      },
      recipient,
    );
    expect(payload).toMatchObject({
      type: 'template',
      template: {
        components: [
          { type: 'body', parameters: [{ type: 'text', text: '1042' }] },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: 0,
            parameters: [{ type: 'payload', payload: 'tpl:track' }],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: 2,
            parameters: [{ type: 'payload', payload: 'tpl:optout' }],
          },
        ],
      },
    });
  });

  it('when payloads are all empty or too many, then the message is refused before sending', () => {
    const base = { type: 'reply.template' as const, name: 'n', language: 'en' };
    expect(() => validateOutbound({ ...base, buttonPayloads: ['', ''] })).toThrow(WhatsAppValidationError);
    expect(() =>
      validateOutbound({ ...base, buttonPayloads: Array.from({ length: 11 }, () => 'p') }),
    ).toThrow(/at most 10/);
  });
});

describe('templates read from Meta', () => {
  it('when placeholders are numbered or named, then they are listed in order', () => {
    expect(placeholdersOf('{{2}} {{1}} {{2}} {{10}}')).toEqual({
      format: 'positional',
      names: ['1', '2', '10'],
    });
    expect(placeholdersOf('Hi {{first_name}}, order {{order}}')).toEqual({
      format: 'named',
      names: ['first_name', 'order'],
    });
  });

  it('when a template needs what the bot does not fill, then it is marked unsendable with the reason', () => {
    const info = (components: unknown[], extra: Record<string, unknown> = {}) =>
      toTemplateInfo({ id: 1, name: 'x', language: 'en', status: 'approved', components, ...extra });
    expect(info([{ type: 'BODY', text: 'Hi {{1}}' }])?.unsupported).toBeUndefined();
    expect(info([{ type: 'BODY', text: 'Hi {{1}}' }])?.status).toBe('APPROVED');
    expect(info([{ type: 'BODY', text: 'Hi {{2}}' }])?.unsupported).toContain('numbered');
    expect(info([{ type: 'HEADER', format: 'TEXT', text: 'For {{1}}' }])?.unsupported).toContain('header');
    expect(
      info([{ type: 'BODY', text: 'Hi {{name}}' }], { parameter_format: 'NAMED' })?.unsupported,
    ).toContain('names');
    expect(
      info([{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go', url: 'https://x.test/{{1}}' }] }])
        ?.unsupported,
    ).toContain('link');
    expect(toTemplateInfo({ name: 'no id' })).toBeUndefined();
  });
});
