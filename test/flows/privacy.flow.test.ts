import { describe, expect, it } from 'vitest';
import { openOrdersText } from '../../flows/privacy.flow.js';
import { correctionSummary, privacyMenu } from '../../flows/privacy/messages.js';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import type { OutboundMessage } from '../../src/core/vocabulary.js';
import type { PrivacyService } from '../../src/privacy/service.js';
import { fakeFlowDeps } from '../helpers/flows.js';
import {
  chat,
  customerMessages,
  edgesFrom,
  pathProblems,
  problemsOf,
  reachableIn,
} from './graph/invariants.js';

/** Privacy: see, correct, erase, opt out or in (flows/privacy.flow.ts). */
describe('privacy flow paths', () => {
  it('when every privacy state is reached by its shortest path, then each step keeps the invariants', () => {
    expect(pathProblems(['privacy'])).toEqual([]);
  });

  it('when every sample event is sent in every reachable privacy state, then each transition keeps the invariants', () => {
    const problems = edgesFrom(['privacy']).flatMap(({ before, event, after, emitted }) =>
      problemsOf(before, event, after, emitted),
    );

    expect(problems).toEqual([]);
  });

  it('when the graph is explored, then exactly the expected privacy states are reachable', () => {
    expect(reachableIn(['privacy'])).toEqual(
      [
        '{"privacy":"access"}',
        '{"privacy":"access"} cart',
        '{"privacy":"access"} deadline',
        '{"privacy":"access"} deadline cart',
        '{"privacy":"correctWhich"}',
        '{"privacy":"correctWhich"} cart',
        '{"privacy":"correctWhich"} deadline',
        '{"privacy":"correctWhich"} deadline cart',
        '{"privacy":"decide"}',
        '{"privacy":"decide"} cart',
        '{"privacy":"decide"} deadline',
        '{"privacy":"decide"} deadline cart',
        '{"privacy":"erase"}',
        '{"privacy":"erase"} cart',
        '{"privacy":"erase"} deadline',
        '{"privacy":"erase"} deadline cart',
        '{"privacy":"menu"}',
        '{"privacy":"menu"} cart',
        '{"privacy":"menu"} deadline',
        '{"privacy":"menu"} deadline cart',
        '{"privacy":"optingIn"}',
        '{"privacy":"optingIn"} cart',
        '{"privacy":"optingIn"} deadline',
        '{"privacy":"optingIn"} deadline cart',
        '{"privacy":"optingOut"}',
        '{"privacy":"optingOut"} cart',
        '{"privacy":"optingOut"} deadline',
        '{"privacy":"optingOut"} deadline cart',
        '{"privacy":{"correcting":"address"}} cart fix=address',
        '{"privacy":{"correcting":"address"}} deadline cart fix=address',
        '{"privacy":{"correcting":"address"}} deadline fix=address',
        '{"privacy":{"correcting":"address"}} fix=address',
        '{"privacy":{"correcting":"confirm"}} cart fix=address',
        '{"privacy":{"correcting":"confirm"}} cart fix=address remove',
        '{"privacy":{"correcting":"confirm"}} cart fix=name',
        '{"privacy":{"correcting":"confirm"}} deadline cart fix=address',
        '{"privacy":{"correcting":"confirm"}} deadline cart fix=address remove',
        '{"privacy":{"correcting":"confirm"}} deadline cart fix=name',
        '{"privacy":{"correcting":"confirm"}} deadline fix=address',
        '{"privacy":{"correcting":"confirm"}} deadline fix=address remove',
        '{"privacy":{"correcting":"confirm"}} deadline fix=name',
        '{"privacy":{"correcting":"confirm"}} fix=address',
        '{"privacy":{"correcting":"confirm"}} fix=address remove',
        '{"privacy":{"correcting":"confirm"}} fix=name',
        '{"privacy":{"correcting":"loading"}} cart fix=address',
        '{"privacy":{"correcting":"loading"}} cart fix=name',
        '{"privacy":{"correcting":"loading"}} cart fix=phone',
        '{"privacy":{"correcting":"loading"}} deadline cart fix=address',
        '{"privacy":{"correcting":"loading"}} deadline cart fix=name',
        '{"privacy":{"correcting":"loading"}} deadline cart fix=phone',
        '{"privacy":{"correcting":"loading"}} deadline fix=address',
        '{"privacy":{"correcting":"loading"}} deadline fix=name',
        '{"privacy":{"correcting":"loading"}} deadline fix=phone',
        '{"privacy":{"correcting":"loading"}} fix=address',
        '{"privacy":{"correcting":"loading"}} fix=name',
        '{"privacy":{"correcting":"loading"}} fix=phone',
        '{"privacy":{"correcting":"name"}} cart fix=name',
        '{"privacy":{"correcting":"name"}} deadline cart fix=name',
        '{"privacy":{"correcting":"name"}} deadline fix=name',
        '{"privacy":{"correcting":"name"}} fix=name',
        '{"privacy":{"correcting":"pickAddress"}} cart fix=address',
        '{"privacy":{"correcting":"pickAddress"}} deadline cart fix=address',
        '{"privacy":{"correcting":"pickAddress"}} deadline fix=address',
        '{"privacy":{"correcting":"pickAddress"}} fix=address',
        '{"privacy":{"correcting":"saving"}} cart fix=address',
        '{"privacy":{"correcting":"saving"}} cart fix=address remove',
        '{"privacy":{"correcting":"saving"}} cart fix=name',
        '{"privacy":{"correcting":"saving"}} deadline cart fix=address',
        '{"privacy":{"correcting":"saving"}} deadline cart fix=address remove',
        '{"privacy":{"correcting":"saving"}} deadline cart fix=name',
        '{"privacy":{"correcting":"saving"}} deadline fix=address',
        '{"privacy":{"correcting":"saving"}} deadline fix=address remove',
        '{"privacy":{"correcting":"saving"}} deadline fix=name',
        '{"privacy":{"correcting":"saving"}} fix=address',
        '{"privacy":{"correcting":"saving"}} fix=address remove',
        '{"privacy":{"correcting":"saving"}} fix=name',
      ].sort(),
    );
  });
});

describe('privacy flow examples', () => {
  it('when an erasure would touch open orders, then each is said with its status in words, a placed one as "not started yet"', () => {
    expect(
      openOrdersText(
        [
          { orderNumber: 1001, status: 'placed', outcome: 'cancel' },
          { orderNumber: 1002, status: 'out_for_delivery', outcome: 'handover' },
        ],
        'en',
      ),
    ).toBe(
      [
        '*Your open orders* (2)',
        '• Order 1001 (not started yet): it will be *cancelled*, and the business told.',
        '• Order 1002 (on its way): it goes ahead. Only what the handover needs (address, note, your name and number) is kept until it is completed, then deleted too.',
      ].join('\n'),
    );
  });

  it('when the erasure offer lists open orders in Spanish, then the statuses and outcomes are Spanish', () => {
    expect(
      openOrdersText(
        [
          { orderNumber: 1001, status: 'placed', outcome: 'cancel' },
          { orderNumber: 1002, status: 'out_for_delivery', outcome: 'handover' },
        ],
        'es',
      ),
    ).toBe(
      [
        '*Tus pedidos en curso* (2)',
        '• Pedido 1001 (aún sin empezar): se *cancelará* y se avisará al negocio.',
        '• Pedido 1002 (en camino): sigue adelante. Solo se guarda lo necesario para la entrega (dirección, nota, tu nombre y número) hasta que se complete, y luego también se borra.',
      ].join('\n'),
    );
  });

  it('when the privacy menu is shown in English or German, then the ids are the same and only the words change', () => {
    const en = privacyMenu('en');
    const de = privacyMenu('de');
    if (en.type !== 'reply.list' || de.type !== 'reply.list') throw new Error('not a list');
    expect(en.text).toBe(
      'Your data with us: you can see everything we hold about you (with a copy as a file), correct it, delete it, or stop messages you did not ask for. What would you like to do?',
    );
    expect(de.sections[0]?.rows.map((r) => r.id)).toEqual(en.sections[0]?.rows.map((r) => r.id));
    expect(de.button).toBe('Meine Daten');
    expect(de.sections[0]?.rows.map((r) => r.title)).toEqual([
      'Meine Daten ansehen',
      'Daten korrigieren',
      'Meine Daten löschen',
      'Nachrichten stoppen',
      'Nachrichten fortsetzen',
    ]);
  });

  it('when a correction is summed up in French, then before and after are said in French', () => {
    expect(correctionSummary({ field: 'name', profile: { addresses: [] }, name: 'Aurélie' }, 'fr')).toBe(
      '*Votre nom*\nAvant : (vide)\nAprès : Aurélie\nEnregistrer cette modification ?',
    );
  });
});

/** A business whose locale is Spanish: a conversation that has said nothing yet is in Spanish. */
const tienda = toBusinessData(
  '100000000000077',
  businessInput.parse({ name: 'Casa Lúcia', currency: 'EUR', locale: 'es-ES' }),
);

const bodies = (messages: OutboundMessage[]) =>
  messages.map((m) =>
    m.type === 'reply.buttons' || m.type === 'reply.list' || m.type === 'reply.text' ? m.text : m.type,
  );

describe('privacy flow in Spanish', () => {
  it('when a customer of a Spanish business asks for the menu, to see, to stop, or about the phone, then every answer is Spanish and the effects get the language', async () => {
    const languages: string[] = [];
    const privacy = {
      readProfile: () => Promise.resolve({ addresses: [] }),
      access: (_b: unknown, _r: unknown, _c: unknown, options: { language?: string }) => {
        languages.push(`access:${options.language}`);
        return Promise.resolve({ messages: [{ type: 'reply.text', text: '*Tus datos*' }] });
      },
      offerErasure: (_b: unknown, _r: unknown, _o: unknown, options: { language?: string }) => {
        languages.push(`offer:${options.language}`);
        return Promise.resolve({ kind: 'offer', text: '*¿Borrar tus datos?*', token: 'tok', openOrders: [] });
      },
      setOptOut: () => Promise.resolve(),
    } as unknown as PrivacyService;
    const send = chat(fakeFlowDeps(tienda, { privacy }), tienda);

    const menu = customerMessages((await send({ type: 'privacy.menu' })).emitted);
    expect(bodies(menu)).toEqual([
      'Tus datos con nosotros: puedes ver todo lo que guardamos sobre ti (con una copia en un archivo), corregirlo, borrarlo o dejar de recibir mensajes que no pediste. ¿Qué quieres hacer?',
    ]);
    expect(bodies(customerMessages((await send({ type: 'privacy.access' })).emitted))).toEqual([
      'Entendido: pediste ver tus datos. Los estoy reuniendo…',
      '*Tus datos*',
    ]);
    const offer = customerMessages((await send({ type: 'privacy.erase' })).emitted);
    expect(offer).toEqual([
      {
        type: 'reply.buttons',
        text: '*¿Borrar tus datos?*',
        buttons: [
          { id: 'pv.erase.yes:tok', title: 'Borrar mis datos' },
          { id: 'pv.erase.no:tok', title: 'Conservar mis datos' },
        ],
      },
    ]);
    expect(
      bodies(customerMessages((await send({ type: 'privacy.correct', field: 'phone' })).emitted)),
    ).toEqual([
      expect.stringMatching(
        /^Tu número de teléfono no se puede cambiar aquí: .* escribe \*borra mis datos\*\.$/,
      ),
    ]);
    expect(bodies(customerMessages((await send({ type: 'privacy.optOut' })).emitted))).toEqual([
      'Hecho: no recibirás avisos de pedidos ni otros mensajes nuestros, salvo que escribas tú primero. Seguimos respondiendo cuando escribas. Escribe *alta* para volver a recibir avisos.',
    ]);
    expect(languages).toEqual(['access:es', 'offer:es']);
  });
});

describe('privacy corrections in another language', () => {
  it('when a saved shared location is being replaced, then it reads in the customer’s language, not English', () => {
    const location = { latitude: 38.7223, longitude: -9.1393 };
    const summary = correctionSummary(
      { field: 'address', profile: { addresses: [location] }, index: 0, address: { text: 'Calle Mayor 1' } },
      'es',
    );
    expect(summary).toContain('la ubicación compartida (38.72230, -9.13930)');
    expect(summary).not.toContain('shared location');
  });
});
