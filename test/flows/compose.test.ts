import { describe, expect, it } from 'vitest';
import { assertApart, composeConcerns } from '../../flows/compose.js';
import { defineConcern } from '../../flows/concerns.js';
import { concerns as registry } from '../../flows/registry.js';
import { rootConcerns, rootMenu } from '../../flows/root.flow.js';
import { base, notProvided } from '../../flows/setup.js';

/** A concern with the given names, and nothing else of note. */
function concern(
  id: string,
  names: { actor?: string; action?: string; guard?: string; event?: string; word?: string },
) {
  const actors = names.actor ? { [names.actor]: notProvided<string, void>(names.actor) } : {};
  const setup = base(actors);
  return defineConcern({
    id,
    version: 1,
    actors,
    impl: {
      actions: names.action ? { [names.action]: setup.assign({ notice: 'x' }) } : {},
      guards: names.guard ? { [names.guard]: () => true } : {},
    },
    states: () => ({ id, initial: 'done', states: { done: {} } }),
    ...(names.event ? { on: { [names.event]: { target: '.menu' } } } : {}),
    menu: {
      row: { id: `menu.${id}`, title: id, description: id },
      ...(names.word ? { words: [names.word] } : {}),
    },
  });
}

describe('composing concerns', () => {
  it.each([
    ['actor', { actor: 'lookUp' }, /actor "lookUp" is defined by both one and two/],
    ['action', { action: 'remember' }, /action "remember" is defined by both one and two/],
    ['guard', { guard: 'isIt' }, /guard "isIt" is defined by both one and two/],
    ['root event', { event: 'privacy.menu' }, /root event "privacy.menu" is defined by both one and two/],
    ['typed word', { word: 'hours' }, /menu word "hours" is used twice/],
  ])('when two concerns define the same %s, then composing them throws', (_, names, error) => {
    expect(() => composeConcerns([concern('one', names), concern('two', names)])).toThrow(error);
  });

  it('when a concern takes a name of the shell, then it is refused', () => {
    const shell = { actions: { greet: true }, guards: { stuck: true }, states: ['menu', 'handoff'] };
    expect(() => assertApart([concern('one', { action: 'greet' })], shell)).toThrow(
      /action "greet" is defined by both the root and one/,
    );
    expect(() => assertApart([concern('one', { guard: 'stuck' })], shell)).toThrow(/guard "stuck"/);
    expect(() => assertApart([concern('handoff', {})], shell)).toThrow(/state "handoff"/);
  });

  it('when a concern states node has another id, then composing it throws', () => {
    const wrong = { ...concern('one', {}), states: () => ({ id: 'other', states: {} }) };
    expect(() => composeConcerns([wrong]).states(composeConcerns([wrong]).menu)).toThrow(/id "one"/);
  });

  it('when the concerns are composed, then the menu numbers their rows in order, a person after them', () => {
    const { menu } = composeConcerns([concern('one', { word: 'first' }), concern('two', {})]);

    expect(menu.list(undefined)).toMatchObject({
      text: 'What would you like to do? Tap *Options*, or type a number.\n1. one\n2. two\n3. Talk to a person\n4. 🌐 Language',
    });
    // Each row is picked by its number (as shown for what the business offers), its words, and its title
    // typed (in every language).
    const picks = menu.choices.map(({ guard, target }) => [
      [guard.params.numbers?.ordering, ...guard.params.words],
      target,
    ]);
    expect(picks).toEqual([
      [['1', 'first', 'one'], '#one'],
      [['2', 'two'], '#two'],
      [expect.arrayContaining(['3', 'talk to a person', 'hablar con una persona']), '#root.handoff'],
      [expect.arrayContaining(['4', 'language', 'idioma', 'sprache', '🌐 langue']), '#root.language'],
    ]);
  });

  it('when there are more than three rows, then a person keeps number 4 and the rows after it follow', () => {
    const { menu } = composeConcerns(['a', 'b', 'c', 'd'].map((id) => concern(id, {})));

    expect(menu.rows.map(({ title }) => title)).toEqual([
      'a',
      'b',
      'c',
      'Talk to a person',
      'd',
      '🌐 Language',
    ]);
  });

  it("when a concern gives its row as catalogue keys, then the menu says it in the conversation's language", () => {
    const keyed = defineConcern({
      ...concern('keyed', {}),
      menu: {
        row: { id: 'menu.keyed', title: 'root:menu.section', description: 'root:menu.human.rowDescription' },
        help: 'root:menu.human.help',
      },
    });
    const { menu } = composeConcerns([keyed, concern('plain', {})]);

    expect(menu.list(undefined, 'es')).toEqual({
      type: 'reply.list',
      text: '¿Qué te gustaría hacer? Toca *Opciones* o escribe un número.\n1. Menú principal\n2. plain\n3. Hablar con una persona\n4. 🌐 Idioma',
      button: 'Opciones',
      sections: [
        {
          title: 'Menú principal',
          rows: [
            { id: 'menu.keyed', title: 'Menú principal', description: 'Alguien del equipo te responde aquí' },
            { id: 'menu.plain', title: 'plain', description: 'plain' },
            {
              id: 'menu.human',
              title: 'Hablar con una persona',
              description: 'Alguien del equipo te responde aquí',
            },
            {
              id: 'menu.language',
              title: '🌐 Idioma',
              description: 'Elige el idioma en el que te escribo',
            },
          ],
        },
      ],
    });
    const german = menu.list('¡Hola!', 'de');
    expect(german.type === 'reply.list' ? [german.text, german.button] : []).toEqual([
      expect.stringMatching(/^¡Hola!\n\nWas möchten Sie tun\?/) as unknown,
      'Optionen',
    ]);
    expect(menu.rows.map(({ title }) => title)).toEqual([
      'Main menu',
      'plain',
      'Talk to a person',
      '🌐 Language',
    ]);
  });

  it('when the help line is said, then its parts are joined the way each language lists them', () => {
    const { menu } = composeConcerns(
      ['a', 'b'].map((id) =>
        defineConcern({ ...concern(id, {}), menu: { ...concern(id, {}).menu, help: `*${id}*` } }),
      ),
    );

    expect(menu.help()).toBe('I can help you *a*, *b*, or get you to *a person*.');
    expect(menu.help('es')).toBe('Puedo ayudarte a *a*, *b* o ponerte con *una persona*.');
    expect(menu.help('de')).toBe(
      'Ich kann Ihnen helfen, *a*, *b* oder Sie mit *einem Menschen* zu verbinden.',
    );
  });

  it('when a concern names a catalogue key that does not exist, then composing it throws', () => {
    const typo = defineConcern({
      ...concern('typo', {}),
      menu: { row: { id: 'menu.typo', title: 'root:menu.rwo', description: 'x' } },
    });

    expect(() => composeConcerns([typo])).toThrow(/menu text "root:menu.rwo" is not in the catalogue/);
  });

  it('when the root is composed from the registry, then every concern has its version and the first rows keep their numbers', () => {
    expect(Object.keys(rootConcerns)).toEqual(registry.map(({ id }) => id));
    expect(rootMenu.rows.slice(0, 4).map(({ id }) => id)).toEqual([
      'menu.order',
      'menu.track',
      'menu.privacy',
      'menu.human',
    ]);
  });
});
