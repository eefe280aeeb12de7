/**
 * The erasure's verification scan (src/privacy/scan.ts): which fields of a document still hold one of the
 * subject's identifiers. Paths only, never values; kept fields skipped; the subject key allowed only where
 * the request and the tombstone legitimately keep it; BSON values and dates handled.
 */
import { Binary, Decimal128, Long, ObjectId } from 'bson';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { findIdentifiers } from '../../src/privacy/scan.js';
import type { ScanTarget } from '../../src/privacy/scan.js';

const WA_ID = '351912345678';
const USER_ID = 'PT.1A2B3C4D5E6F7G8H';
const SUBJECT_KEY = 'Qm9vbS1zdWJqZWN0LWtleS0wMTIzNDU2Nzg5YWJjZGVm';
const NAME = 'Zelda Quintanilha';

/** As the erasure job builds it (PrivacyService.verify): wa_id with and without "+", user id, key. */
function target(overrides: Partial<ScanTarget> = {}): ScanTarget {
  return {
    needles: [WA_ID, `+${WA_ID}`, USER_ID, SUBJECT_KEY],
    name: NAME,
    subjectKey: SUBJECT_KEY,
    skip: new Set(),
    allowKeyIn: new Set(),
    ...overrides,
  };
}

const scan = (doc: Record<string, unknown>, overrides: Partial<ScanTarget> = {}) =>
  findIdentifiers(doc, target(overrides)).sort();

describe('findIdentifiers: identifiers', () => {
  it('when a document holds nothing of the subject, then nothing is found', () => {
    expect(
      scan({
        _id: 'abc',
        phoneNumberId: '109876543210001',
        customerRef: 'anon:someone-else',
        items: [{ name: 'Coffee', quantity: 2 }],
        note: 'ring twice',
        total: 475,
      }),
    ).toEqual([]);
  });

  it.each([
    { name: 'the bare wa_id', value: WA_ID },
    { name: 'the wa_id with "+"', value: `+${WA_ID}` },
    { name: 'the wa_id inside a sentence', value: `call me on +${WA_ID} after 6` },
    { name: 'the wa_id inside a URL', value: `https://wa.me/${WA_ID}?text=hi` },
    { name: 'the user id', value: USER_ID },
    { name: 'the user id inside text', value: `bsuid:${USER_ID};` },
    { name: 'the subject key', value: SUBJECT_KEY },
    { name: 'the subject key as part of a conversation id', value: `conv:${SUBJECT_KEY}` },
  ])('when a field holds $name, then its path is reported', ({ value }) => {
    expect(scan({ other: 'x', field: value })).toEqual(['field']);
  });

  it('when only part of an identifier appears, then it is not found', () => {
    expect(scan({ a: WA_ID.slice(0, -1), b: USER_ID.slice(1), c: SUBJECT_KEY.slice(0, 20) })).toEqual([]);
  });

  it('when the target has no name, then only the exact identifiers are searched', () => {
    expect(scan({ profileName: NAME, waId: WA_ID }, { name: undefined })).toEqual(['waId']);
  });
});

describe('findIdentifiers: the name', () => {
  it.each([
    NAME,
    NAME.toUpperCase(),
    NAME.toLowerCase(),
    `Order for ${NAME}, door 2`,
    `${NAME}'s pizza`,
    `(${NAME})`,
    `"${NAME}"`,
    `Hi ${NAME}!`,
    `${NAME}\nRua das Flores 12`,
  ])('when a field reads "%s", then the name is found', (value) => {
    expect(scan({ text: value })).toEqual(['text']);
  });

  it.each([`${NAME}s`, `x${NAME}`, `${NAME}2`, `_${NAME}`.replace('_', 'ñ'), 'Zelda', 'Quintanilha'])(
    'when "%s" only contains the name inside other letters or in part, then it is not found',
    (value) => {
      expect(scan({ text: value })).toEqual([]);
    },
  );

  it('when the name is short and inside other words, then only whole-word occurrences are found', () => {
    const doc = { a: 'Banana bread', b: 'Anabel', c: 'Savana', d: 'for ana, thanks', e: 'ANA' };
    expect(scan(doc, { name: 'Ana' })).toEqual(['d', 'e']);
  });

  it('when the name has regular-expression characters, then they are matched literally', () => {
    expect(scan({ a: 'J. (Jay) Smith+', b: 'JX (Jay) Smith+' }, { name: 'J. (Jay) Smith+' })).toEqual(['a']);
    expect(scan({ a: 'anything at all' }, { name: '.*' })).toEqual([]);
  });

  it('when the name is accented, then it is matched case-insensitively with its accents', () => {
    expect(
      scan({ a: 'JOSÉ ÁLVAREZ', b: 'para josé álvarez', c: 'Josélito' }, { name: 'José Álvarez' }),
    ).toEqual(['a', 'b']);
  });

  it('when a field is not text (a number), then the name is not searched in it', () => {
    expect(scan({ n: 42 }, { name: '42' })).toEqual([]);
  });
});

describe('findIdentifiers: where', () => {
  it('when identifiers are nested in objects and arrays, then dotted paths are reported, once each', () => {
    const doc = {
      customer: { profile: { name: NAME, phones: [WA_ID, `+${WA_ID}`] } },
      deliveries: [
        { status: 'sent', to: WA_ID },
        { status: 'read', to: WA_ID },
      ],
      steps: [[{ deep: { deeper: [USER_ID] } }]],
      tags: ['x', SUBJECT_KEY],
    };
    expect(scan(doc)).toEqual([
      'customer.profile.name',
      'customer.profile.phones',
      'deliveries.to',
      'steps.deep.deeper',
      'tags',
    ]);
  });

  it('when identifiers are found, then no value is in the result', () => {
    const doc = { a: `+${WA_ID}`, b: { c: NAME }, d: [USER_ID], e: SUBJECT_KEY };
    const result = findIdentifiers(doc, target());
    const text = JSON.stringify(result);
    for (const value of [WA_ID, USER_ID, SUBJECT_KEY, 'Zelda', 'Quintanilha'])
      expect(text).not.toContain(value);
    expect(result.sort()).toEqual(['a', 'b.c', 'd', 'e']);
  });

  it('when a top-level field is kept on purpose, then it is not scanned, and other fields still are', () => {
    const doc = {
      items: [{ name: `${NAME}'s special`, note: WA_ID }],
      orderNumber: 12,
      customerRef: SUBJECT_KEY,
      note: NAME,
    };
    expect(scan(doc, { skip: new Set(['items', 'orderNumber']) })).toEqual(['customerRef', 'note']);
  });

  it('when a skipped name is nested, then only a top-level field is skipped', () => {
    expect(scan({ order: { items: NAME } }, { skip: new Set(['items']) })).toEqual(['order.items']);
  });
});

describe('findIdentifiers: the subject key', () => {
  it('when the key is in an allowed top-level field, then it is not reported, but elsewhere it is', () => {
    const doc = {
      _id: SUBJECT_KEY,
      subjectKey: SUBJECT_KEY,
      copy: SUBJECT_KEY,
      nested: { subjectKey: SUBJECT_KEY },
    };
    expect(scan(doc, { allowKeyIn: new Set(['_id']) })).toEqual(['copy', 'nested.subjectKey', 'subjectKey']);
    expect(scan(doc, { allowKeyIn: new Set(['subjectKey']) })).toEqual(['_id', 'copy', 'nested.subjectKey']);
  });

  it('when an allowed field is an object, then the key is allowed anywhere inside it', () => {
    expect(
      scan({ receipt: { lines: [{ ref: SUBJECT_KEY }] } }, { allowKeyIn: new Set(['receipt']) }),
    ).toEqual([]);
  });

  it('when an allowed field holds another identifier, then that is still reported', () => {
    expect(scan({ subjectKey: `${SUBJECT_KEY} ${WA_ID}` }, { allowKeyIn: new Set(['subjectKey']) })).toEqual([
      'subjectKey',
    ]);
    expect(scan({ subjectKey: NAME }, { allowKeyIn: new Set(['subjectKey']) })).toEqual(['subjectKey']);
  });
});

describe('findIdentifiers: values that are not text', () => {
  it('when fields are dates, numbers, booleans, null or undefined, then nothing is reported or thrown', () => {
    const doc = {
      at: new Date('2026-03-10T09:30:00Z'),
      dates: [new Date(0), new Date(8.64e15)],
      invalid: new Date(Number.NaN),
      n: 3.5,
      big: 10n,
      ok: true,
      none: null,
      missing: undefined,
    };
    expect(scan(doc)).toEqual([]);
  });

  it('when a date would print like an identifier, then it is still not reported', () => {
    expect(scan({ at: new Date('2026-03-10T09:30:00Z') }, { needles: ['2026'], name: 'Mar' })).toEqual([]);
  });

  it('when ObjectIds are stored, then they are not walked and do not match unrelated identifiers', () => {
    const doc = { _id: new ObjectId(), ref: new Types.ObjectId(), list: [new ObjectId()] };
    expect(scan(doc)).toEqual([]);
  });

  it('when an identifier is held in an ObjectId, then it is found by its hex form', () => {
    const id = new ObjectId();
    expect(
      findIdentifiers({ _id: id, other: new ObjectId() }, target({ needles: [id.toHexString()] })),
    ).toEqual(['_id']);
  });

  it('when a Buffer or BSON Binary holds the wa_id, then its path is reported', () => {
    const doc = {
      raw: Buffer.from(`from ${WA_ID}`),
      bin: new Binary(Buffer.from(`+${WA_ID}`)),
      clean: Buffer.from('nothing here'),
      cleanBin: new Binary(Buffer.from([0, 1, 2, 3, 255])),
    };
    expect(scan(doc)).toEqual(['bin', 'raw']);
  });

  it('when a number, Long or Decimal128 is the wa_id, then its path is reported', () => {
    const doc = {
      asNumber: Number(WA_ID),
      asBigInt: BigInt(WA_ID),
      asLong: Long.fromString(WA_ID),
      asDecimal: Decimal128.fromString(WA_ID),
      amount: 475,
    };
    expect(scan(doc)).toEqual(['asBigInt', 'asDecimal', 'asLong', 'asNumber']);
  });

  it('when a Buffer holds the name, then it is not searched for the name (names only in text)', () => {
    expect(scan({ raw: Buffer.from(NAME) })).toEqual([]);
  });

  it('when a document has a null-prototype object, then it is walked like a plain one', () => {
    const inner = Object.assign(Object.create(null) as Record<string, unknown>, { phone: WA_ID });
    expect(scan({ inner })).toEqual(['inner.phone']);
  });
});
