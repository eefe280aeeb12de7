import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/core/vocabulary.js';
import { WhatsAppValidationError } from '../../src/whatsapp/errors.js';
import {
  splitText,
  toGraphPayloads,
  toMarkReadPayload,
  validateMediaUpload,
  validateOutbound,
  validateRecipient,
} from '../../src/whatsapp/messages.js';
import { ANA, ANA_BSUID, INBOUND_WAMID, fixture } from './fixtures.js';

const BUTTONS: Extract<OutboundMessage, { type: 'reply.buttons' }> = {
  type: 'reply.buttons',
  header: 'Order #A1042',
  text: '2x Large Margherita, 1x Garlic bread. Total: 23.50. Shall we place the order?',
  footer: 'Reply HUMAN to talk to a person',
  buttons: [
    { id: 'order:confirm', title: 'Confirm' },
    { id: 'order:edit', title: 'Change order' },
    { id: 'order:cancel', title: 'Cancel' },
  ],
};

const LIST: Extract<OutboundMessage, { type: 'reply.list' }> = {
  type: 'reply.list',
  header: 'Our menu',
  text: 'What would you like to order today?',
  footer: 'Prices include VAT',
  button: 'View menu',
  sections: [
    {
      title: 'Pizzas',
      rows: [
        { id: 'menu:pizza_margherita', title: 'Margherita', description: 'Tomato, mozzarella, basil - 9.50' },
        { id: 'menu:pizza_diavola', title: 'Diavola', description: 'Spicy salami, chili - 11.00' },
      ],
    },
    { title: 'Sides', rows: [{ id: 'menu:side_garlic_bread', title: 'Garlic bread', description: '4.50' }] },
    {
      title: 'Help',
      rows: [
        {
          id: 'privacy:delete_my_data',
          title: 'Delete my data',
          description: 'Erase your order history and profile',
        },
        { id: 'support:human', title: 'Talk to a person' },
      ],
    },
  ],
};

const DOCUMENT: Extract<OutboundMessage, { type: 'reply.document' }> = {
  type: 'reply.document',
  filename: 'receipt-A1042.pdf',
  caption: 'Your receipt',
  mediaId: '3345678901234567',
};

const x = (n: number, char = 'x') => char.repeat(n);

/** A list with `sections` sections of `rowsEach` rows, all ids unique. */
function listWith(sections: number, rowsEach: number): OutboundMessage {
  return {
    ...LIST,
    sections: Array.from({ length: sections }, (_, s) => ({
      title: `Section ${s}`,
      rows: Array.from({ length: rowsEach }, (_, r) => ({ id: `row-${s}-${r}`, title: `Row ${s}.${r}` })),
    })),
  };
}

function validationErrorOf(message: OutboundMessage): WhatsAppValidationError {
  try {
    validateOutbound(message);
  } catch (error) {
    if (error instanceof WhatsAppValidationError) return error;
    throw error;
  }
  throw new Error('expected validateOutbound to throw');
}

/**
 * Checks splitText's guarantee: text = w0 + parts[0] + w1 + … + parts[n-1] + wn with every w
 * whitespace only. Returns the separators between parts (w1 … w(n-1)).
 */
function separatorsBetween(text: string, parts: string[]): string[] {
  const separators: string[] = [];
  let at = 0;
  parts.forEach((part, i) => {
    const ws = /^\s*/.exec(text.slice(at))?.[0] ?? '';
    if (i > 0) separators.push(ws);
    else expect(ws).toBe('');
    at += ws.length;
    expect(text.startsWith(part, at)).toBe(true);
    at += part.length;
  });
  expect(text.slice(at).trim()).toBe('');
  return separators;
}

describe('toGraphPayloads', () => {
  it('when a text has previewUrl false, then the body is exactly send-text-request.json', () => {
    const message: OutboundMessage = {
      type: 'reply.text',
      previewUrl: false,
      text: 'Thanks Ana! Your order #A1042 is being prepared. Track it here: https://shop.example.com/o/A1042',
    };
    expect(toGraphPayloads(message, ANA)).toEqual([fixture('send-text-request.json')]);
  });

  it('when a text quotes the customer, then the body is exactly send-reply-context-request.json', () => {
    const message: OutboundMessage = {
      type: 'reply.text',
      text: 'Got it - 2 large pizzas. Which size of drink would you like?',
    };
    expect(toGraphPayloads(message, ANA, { contextWamid: INBOUND_WAMID })).toEqual([
      fixture('send-reply-context-request.json'),
    ]);
  });

  it('when reply buttons are sent, then the body is exactly send-buttons-request.json', () => {
    expect(toGraphPayloads(BUTTONS, ANA)).toEqual([fixture('send-buttons-request.json')]);
  });

  it('when a list is sent, then the body is exactly send-list-request.json', () => {
    expect(toGraphPayloads(LIST, ANA)).toEqual([fixture('send-list-request.json')]);
  });

  it('when a template with body parameters is sent, then the body is exactly send-template-request.json', () => {
    const message: OutboundMessage = {
      type: 'reply.template',
      name: 'order_ready_v1',
      language: 'en_US',
      bodyParameters: ['Ana', 'A1042'],
    };
    expect(toGraphPayloads(message, ANA)).toEqual([fixture('send-template-request.json')]);
  });

  it('when a template has no parameters, then no components are sent', () => {
    const [payload] = toGraphPayloads(
      { type: 'reply.template', name: 'hello_world', language: 'en_US' },
      ANA,
    );
    expect(payload).toMatchObject({
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
    expect(payload).not.toHaveProperty('template.components');
  });

  it('when a document has a media id, then the body is send-document-request.json with id instead of link', () => {
    const expected = fixture('send-document-request.json');
    expected.document = { id: '3345678901234567', filename: 'receipt-A1042.pdf', caption: 'Your receipt' };
    expect(toGraphPayloads(DOCUMENT, ANA)).toEqual([expected]);
  });

  it('when a document only has content, then it must be uploaded first', () => {
    const message: OutboundMessage = {
      type: 'reply.document',
      filename: 'a.pdf',
      content: { base64: 'JVBERi0=', mimeType: 'application/pdf' },
    };
    expect(() => toGraphPayloads(message, ANA)).toThrow(/mediaId/);
  });

  it('when the recipient only has a BSUID, then the 2026 recipient field is used instead of to', () => {
    const [payload] = toGraphPayloads({ type: 'reply.text', text: 'Hi' }, ANA_BSUID);
    expect(payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      recipient: 'US.13491208655300000001',
      type: 'text',
      text: { body: 'Hi' },
    });
  });

  it('when the recipient has both ids, then only to is sent', () => {
    const [payload] = toGraphPayloads({ type: 'reply.text', text: 'Hi' }, { ...ANA, ...ANA_BSUID });
    expect(payload).toMatchObject({ to: '+12025550143' });
    expect(payload).not.toHaveProperty('recipient');
  });

  it('when the wa_id already has a plus, then it is not doubled', () => {
    const [payload] = toGraphPayloads({ type: 'reply.text', text: 'Hi' }, { waId: '+12025550143' });
    expect(payload).toMatchObject({ to: '+12025550143' });
  });

  it('when the recipient has no id at all, then a validation error names the recipient', () => {
    expect(() => toGraphPayloads({ type: 'reply.text', text: 'Hi' }, {})).toThrow(WhatsAppValidationError);
    expect(() => validateRecipient({})).toThrow(/recipient/);
    expect(() => validateRecipient({ waId: '12 02' })).toThrow(/recipient\.waId/);
  });

  it('when text is longer than 4096, then several text payloads go out and only the first quotes', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}. ${x(300, 'p')}`).join('\n\n');
    const payloads = toGraphPayloads({ type: 'reply.text', text, previewUrl: true }, ANA, {
      contextWamid: INBOUND_WAMID,
    });
    expect(payloads.length).toBeGreaterThan(1);
    payloads.forEach((payload, i) => {
      if (payload.type !== 'text') throw new Error('expected text');
      expect(payload.text.body.length).toBeLessThanOrEqual(4096);
      expect(payload.text.preview_url).toBe(true);
      expect(payload.to).toBe('+12025550143');
      expect(payload.context).toEqual(i === 0 ? { message_id: INBOUND_WAMID } : undefined);
    });
    separatorsBetween(
      text,
      payloads.map((p) => (p.type === 'text' ? p.text.body : '')),
    );
  });
});

describe('toMarkReadPayload', () => {
  it('when marking read, then the body is exactly mark-read-request.json', () => {
    expect(toMarkReadPayload(INBOUND_WAMID)).toEqual(fixture('mark-read-request.json'));
  });

  it('when marking read with typing, then the body is exactly mark-read-typing-request.json', () => {
    expect(toMarkReadPayload(INBOUND_WAMID, { typing: true })).toEqual(
      fixture('mark-read-typing-request.json'),
    );
  });
});

describe('validateOutbound', () => {
  const button = (overrides: Partial<{ id: string; title: string }>) => ({
    ...BUTTONS,
    buttons: [{ id: 'a', title: 'A', ...overrides }],
  });
  const row = (overrides: Partial<{ id: string; title: string; description: string }>) => ({
    ...LIST,
    sections: [{ title: 'S', rows: [{ id: 'r', title: 'R', ...overrides }] }],
  });

  // [situation, message at the limit (valid), message over the limit, field named, limit]
  const boundaries: Array<[string, OutboundMessage, OutboundMessage, string, number | undefined]> = [
    ['text', { type: 'reply.text', text: x(4096) }, { type: 'reply.text', text: x(4097) }, 'text', 4096],
    [
      'button count',
      { ...BUTTONS },
      { ...BUTTONS, buttons: [...BUTTONS.buttons, { id: 'd', title: 'D' }] },
      'buttons',
      3,
    ],
    ['button title', button({ title: x(20) }), button({ title: x(21) }), 'buttons[0].title', 20],
    ['button id', button({ id: x(256) }), button({ id: x(257) }), 'buttons[0].id', 256],
    ['buttons body', { ...BUTTONS, text: x(1024) }, { ...BUTTONS, text: x(1025) }, 'text', 1024],
    ['buttons header', { ...BUTTONS, header: x(60) }, { ...BUTTONS, header: x(61) }, 'header', 60],
    ['buttons footer', { ...BUTTONS, footer: x(60) }, { ...BUTTONS, footer: x(61) }, 'footer', 60],
    ['list body', { ...LIST, text: x(1024) }, { ...LIST, text: x(1025) }, 'text', 1024],
    ['list header', { ...LIST, header: x(60) }, { ...LIST, header: x(61) }, 'header', 60],
    ['list footer', { ...LIST, footer: x(60) }, { ...LIST, footer: x(61) }, 'footer', 60],
    ['list button label', { ...LIST, button: x(20) }, { ...LIST, button: x(21) }, 'button', 20],
    ['section count', listWith(10, 1), listWith(11, 1), 'sections', 10],
    ['row total', listWith(2, 5), listWith(2, 6), 'sections[].rows', 10],
    ['row id', row({ id: x(200) }), row({ id: x(201) }), 'sections[0].rows[0].id', 200],
    ['row title', row({ title: x(24) }), row({ title: x(25) }), 'sections[0].rows[0].title', 24],
    [
      'row description',
      row({ description: x(72) }),
      row({ description: x(73) }),
      'sections[0].rows[0].description',
      72,
    ],
    [
      'section title',
      { ...LIST, sections: [{ title: x(24), rows: [{ id: 'r', title: 'R' }] }] },
      { ...LIST, sections: [{ title: x(25), rows: [{ id: 'r', title: 'R' }] }] },
      'sections[0].title',
      24,
    ],
    [
      'document caption',
      { ...DOCUMENT, caption: x(1024) },
      { ...DOCUMENT, caption: x(1025) },
      'caption',
      1024,
    ],
  ];

  it.each(boundaries)(
    'when the %s is at its limit, then it passes, and one over fails naming the field',
    (_, ok, over, field, limit) => {
      expect(() => validateOutbound(ok)).not.toThrow();
      const error = validationErrorOf(over);
      expect(error.field).toBe(field);
      expect(error.limit).toBe(limit);
      expect(error.message).toContain(field);
      expect(error.message).toContain(`at most ${limit}`);
    },
  );

  const invalid: Array<[string, OutboundMessage, string]> = [
    ['the text is empty', { type: 'reply.text', text: '' }, 'text'],
    ['the text is only whitespace', { type: 'reply.text', text: ' \n ' }, 'text'],
    ['there are no buttons', { ...BUTTONS, buttons: [] }, 'buttons'],
    ['a button title is empty', button({ title: '' }), 'buttons[0].title'],
    ['a button id is empty', button({ id: '' }), 'buttons[0].id'],
    ['a button id has a leading space', button({ id: ' a' }), 'buttons[0].id'],
    [
      'two buttons share a title',
      {
        ...BUTTONS,
        buttons: [
          { id: 'a', title: 'Same' },
          { id: 'b', title: 'Same' },
        ],
      },
      'buttons[1].title',
    ],
    [
      'two buttons share an id',
      {
        ...BUTTONS,
        buttons: [
          { id: 'same', title: 'A' },
          { id: 'same', title: 'B' },
        ],
      },
      'buttons[1].id',
    ],
    ['a list has no sections', { ...LIST, sections: [] }, 'sections'],
    ['a section has no rows', { ...LIST, sections: [{ title: 'S', rows: [] }] }, 'sections[0].rows'],
    [
      'a second section has no title',
      {
        ...LIST,
        sections: [{ title: 'S', rows: [{ id: 'a', title: 'A' }] }, { rows: [{ id: 'b', title: 'B' }] }],
      },
      'sections[1].title',
    ],
    [
      'row ids repeat across sections',
      {
        ...LIST,
        sections: [
          { title: 'S', rows: [{ id: 'same', title: 'A' }] },
          { title: 'T', rows: [{ id: 'same', title: 'B' }] },
        ],
      },
      'sections[1].rows[0].id',
    ],
    ['a row title is empty', row({ title: '' }), 'sections[0].rows[0].title'],
    ['a template has no name', { type: 'reply.template', name: '', language: 'en_US' }, 'name'],
    [
      'a template has no language',
      { type: 'reply.template', name: 'order_ready_v1', language: ' ' },
      'language',
    ],
    [
      'a template parameter is empty',
      { type: 'reply.template', name: 'order_ready_v1', language: 'en_US', bodyParameters: ['Ana', ''] },
      'bodyParameters[1]',
    ],
    ['a document has neither media id nor content', { type: 'reply.document', filename: 'a.pdf' }, 'mediaId'],
    ['a document has no filename', { ...DOCUMENT, filename: '' }, 'filename'],
    [
      'document content is not base64',
      {
        type: 'reply.document',
        filename: 'a.pdf',
        content: { base64: 'not base64!', mimeType: 'application/pdf' },
      },
      'content.base64',
    ],
    [
      'document content has no MIME type',
      { type: 'reply.document', filename: 'a.pdf', content: { base64: 'JVBERi0=', mimeType: '' } },
      'content.mimeType',
    ],
  ];

  it.each(invalid)('when %s, then the error names %s', (_, message, field) => {
    expect(validationErrorOf(message).field).toBe(field);
  });

  it.each<[string, OutboundMessage]>([
    ['a single section has no title', { ...LIST, sections: [{ rows: [{ id: 'a', title: 'A' }] }] }],
    ['a template has no parameters', { type: 'reply.template', name: 'hello_world', language: 'en_US' }],
    [
      'a document has content to upload',
      {
        type: 'reply.document',
        filename: 'a.pdf',
        content: { base64: 'JVBERi0=', mimeType: 'application/pdf' },
      },
    ],
    ['the buttons message of the fixture', BUTTONS],
    ['the list message of the fixture', LIST],
  ])('when %s, then it is valid', (_, message) => {
    expect(() => validateOutbound(message)).not.toThrow();
  });

  it('when a value breaks a rule, then the error message does not repeat the value', () => {
    const secret = 'Ana-private-title-xyz';
    const error = validationErrorOf(button({ title: secret }));
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(error).toMatchObject({
      subject: 'reply.buttons',
      field: 'buttons[0].title',
      actual: secret.length,
    });
  });
});

describe('validateMediaUpload', () => {
  it('when the file is empty or the MIME type malformed, then the upload is refused', () => {
    const ok = { data: Buffer.from('%PDF-'), mimeType: 'application/pdf', filename: 'a.pdf' };
    expect(() => validateMediaUpload(ok)).not.toThrow();
    expect(() => validateMediaUpload({ ...ok, data: Buffer.alloc(0) })).toThrow(/data/);
    expect(() => validateMediaUpload({ ...ok, mimeType: 'pdf' })).toThrow(/mimeType/);
    expect(() => validateMediaUpload({ ...ok, filename: ' ' })).toThrow(/filename/);
  });
});

describe('splitText', () => {
  it('when text fits, then it is one part, unchanged', () => {
    const text = '  Hello\n\nworld  ';
    expect(splitText(text)).toEqual([text]);
  });

  it('when 10,000 characters come in paragraphs, then parts fit, split at paragraph breaks, and restore the text', () => {
    // Paragraphs of 180..720 characters made of sentences, separated by blank lines.
    const paragraphs = Array.from({ length: 40 }, (_, p) =>
      Array.from(
        { length: 3 + (p % 10) },
        (_, s) => `Sentence ${s} of paragraph ${p} says something useful.`,
      ).join(' '),
    );
    let text = paragraphs.join('\n\n');
    while (text.length < 10_000) text += `\n\n${paragraphs[text.length % 40] ?? ''}`;
    text = text.slice(0, 10_000).trimEnd();

    const parts = splitText(text);

    expect(parts.length).toBe(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part).toBe(part.trim());
    }
    // Cuts are made at the last break that fits, so only the last part may be short.
    parts.slice(0, -1).forEach((part) => expect(part.length).toBeGreaterThan(4096 - 800));
    const separators = separatorsBetween(text, parts);
    expect(separators).toEqual(['\n\n', '\n\n']);
    expect(parts.join('\n\n')).toBe(text);
  });

  it('when there are no blank lines, then it splits at line breaks', () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i} ${x(40, 'l')}`).join('\n');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(separatorsBetween(text, parts).every((s) => s === '\n')).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });

  it('when there are only sentences on one line, then every part but the last ends a sentence', () => {
    const text = Array.from(
      { length: 300 },
      (_, i) => `This is sentence number ${i}, and it ends here.`,
    ).join(' ');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    parts.slice(0, -1).forEach((part) => expect(part.endsWith('.')).toBe(true));
    expect(parts.join(' ')).toBe(text);
  });

  it('when there are only words, then no word is cut in two', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((part) => part.split(' '))).toEqual(words);
  });

  it('when the only paragraph break is early, then a later line break is preferred over a tiny part', () => {
    const text = `${x(100)}\n\n${x(3800)}\n${x(3000)}`;
    const parts = splitText(text);
    expect(parts).toEqual([`${x(100)}\n\n${x(3800)}`, x(3000)]);
  });

  it('when one word is longer than the limit, then it is cut at the limit and nothing is lost', () => {
    const text = x(10_000);
    const parts = splitText(text);
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 1808]);
    expect(parts.join('')).toBe(text);
  });

  it('when a forced cut would fall inside an emoji, then the emoji stays whole', () => {
    const text = `a${'😀'.repeat(3000)}`;
    const parts = splitText(text);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part).not.toMatch(/\p{Cs}/u);
    }
  });

  it('when the text ends in a long run of whitespace, then no whitespace-only part is produced', () => {
    const text = `${x(4000)}${' '.repeat(500)}`;
    expect(splitText(text)).toEqual([x(4000)]);
  });

  it('when a custom limit is given, then parts respect it', () => {
    const parts = splitText('one two three four five six', 9);
    expect(parts).toEqual(['one two', 'three', 'four five', 'six']);
  });
});
