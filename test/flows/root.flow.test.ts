import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import type { ExecutableActionObject, SnapshotFrom } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { rootFlow } from '../../flows/root.flow.js';
import type { RootInput } from '../../flows/root.flow.js';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { runStep } from '../../src/conversation/runner.js';
import type { StepResult, StoredFlow } from '../../src/conversation/runner.js';
import type { FlowEmitted, FlowEvent, OutboundMessage } from '../../src/conversation/types.js';
import { AWAITING_INPUT } from '../../src/conversation/types.js';
import { validateOutbound } from '../../src/whatsapp/messages.js';

type RootSnapshot = SnapshotFrom<typeof rootFlow>;

const BUSINESS_NAME = 'Casa Lúcia';
const HANDOFF_MINUTES = 45;
const input: RootInput = { businessName: BUSINESS_NAME, handoffMinutes: HANDOFF_MINUTES };

const text = (body: string): FlowEvent => ({ type: 'user.text', text: body });
const GIBBERISH = text('asdfgh qwerty zxcv');

/** What customers and the runner really send the root flow (commands already detected, see intents.ts). */
const sampleEvents: FlowEvent[] = [
  text('hi'),
  text('1'),
  text('2'),
  text('3'),
  text('4'),
  text('order'),
  GIBBERISH,
  { type: 'user.location', latitude: 38.7223, longitude: -9.1393, name: 'Home', address: 'Rua Augusta 1' },
  { type: 'user.media', mediaType: 'image', mediaId: 'media-0001', mimeType: 'image/jpeg' },
  { type: 'user.unsupported', kind: 'reaction' },
  { type: 'user.list', id: 'menu.order', title: 'Order' },
  { type: 'user.list', id: 'menu.track', title: 'Track my order' },
  { type: 'user.list', id: 'menu.privacy', title: 'My data & privacy' },
  { type: 'user.list', id: 'menu.human', title: 'Talk to a person' },
  { type: 'user.button', id: 'stuck.menu', title: 'Show options' },
  { type: 'user.button', id: 'menu.human', title: 'Talk to a person' },
  { type: 'command.menu' },
  { type: 'command.help' },
  { type: 'command.cancel' },
  { type: 'command.human' },
  { type: 'system.timeout' },
  { type: 'system.resume' },
];

/**
 * The states that matter, as a readable key: the state value, plus the context that changes behaviour.
 * `misunderstood` is capped at 4: guards only compare it with 0 and 3, so 4, 5, 6… behave alike (and
 * keeping 3 and 4 apart puts the silent fourth misunderstanding on a path). The deadline is a timestamp,
 * so only whether one is set counts. A notice must never outlive a step; if one did, it would show here.
 */
function describeState(snapshot: RootSnapshot): string {
  const { misunderstood, deadline, notice } = snapshot.context;
  const value = typeof snapshot.value === 'string' ? snapshot.value : JSON.stringify(snapshot.value);
  return [
    value,
    misunderstood > 0 ? `misunderstood=${misunderstood >= 4 ? '4+' : misunderstood}` : '',
    deadline !== undefined ? 'deadline' : '',
    notice !== undefined ? 'notice' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

const traversal = { events: sampleEvents, input, serializeState: describeState };

function describeEvent(event: FlowEvent): string {
  if (event.type === 'user.text') return `user.text "${event.text}"`;
  if (event.type === 'user.list' || event.type === 'user.button') return `${event.type} ${event.id}`;
  return event.type;
}

/** The `emit` actions of one transition, as the data the runner would deliver. */
function emittedBy(actions: readonly ExecutableActionObject[]): FlowEmitted[] {
  return actions.flatMap((action) =>
    action.type === 'xstate.emit' ? [(action.params as { event: FlowEmitted }).event] : [],
  );
}

function customerMessages(emitted: readonly FlowEmitted[]): OutboundMessage[] {
  return emitted.filter((m): m is OutboundMessage => m.type !== 'notify.staff');
}

/**
 * Why a step may end waiting for the customer without saying anything. Everywhere else, silence would
 * leave the customer staring at a chat that ignored them.
 */
function designedSilence(before: RootSnapshot, event: FlowEvent, after: RootSnapshot): string | undefined {
  if (before.matches('handoff') && after.matches('handoff')) {
    return 'a person is handling the chat: the assistant stays quiet until cancel, resume or timeout';
  }
  if (before.matches('stuck') && after.matches('stuck') && before.context.misunderstood >= 3) {
    return 'the fourth and later misunderstandings in a row: one hint was given, then quiet instead of a loop';
  }
  if ((event.type === 'system.timeout' || event.type === 'system.resume') && !before.context.deadline) {
    return 'a stale timer or hand-back when nothing is pending: the customer did nothing, so the bot says nothing';
  }
  return undefined;
}

/** Every invariant one step must keep; returns the broken ones, described. */
function problemsOf(
  before: RootSnapshot,
  event: FlowEvent,
  after: RootSnapshot,
  emitted: readonly FlowEmitted[],
): string[] {
  const where = `${describeState(before)} --${describeEvent(event)}--> ${describeState(after)}`;
  const problems: string[] = [];
  for (const message of customerMessages(emitted)) {
    try {
      validateOutbound(message);
    } catch (err) {
      problems.push(`${where}: invalid ${message.type}: ${(err as Error).message}`);
    }
  }
  for (const message of emitted) {
    if (message.type === 'notify.staff' && message.text.trim() === '') {
      problems.push(`${where}: notify.staff with empty text`);
    }
  }
  if (!after.hasTag(AWAITING_INPUT)) problems.push(`${where}: settled in a state that does not await input`);
  if (
    after.hasTag(AWAITING_INPUT) &&
    customerMessages(emitted).length === 0 &&
    designedSilence(before, event, after) === undefined
  ) {
    problems.push(`${where}: waits for the customer without saying anything`);
  }
  return problems;
}

const paths = getShortestPaths(rootFlow, traversal);

/** Every sample event in every reachable state: the whole graph, not only the edges on shortest paths. */
function allEdges(): Array<{
  before: RootSnapshot;
  event: FlowEvent;
  after: RootSnapshot;
  emitted: FlowEmitted[];
}> {
  return paths.flatMap(({ state }) =>
    sampleEvents.map((event) => {
      const [after, actions] = transition(rootFlow, state, event);
      return { before: state, event, after, emitted: emittedBy(actions) };
    }),
  );
}

describe('root flow paths', () => {
  it('when every state is reached by its shortest path, then each step keeps the invariants', () => {
    const problems: string[] = [];
    for (const path of paths) {
      let [snapshot] = initialTransition(rootFlow, input);
      // The first step is xstate.init, which the runner never persists without a customer event.
      for (const step of path.steps.slice(1)) {
        const [next, actions] = transition(rootFlow, snapshot, step.event);
        problems.push(...problemsOf(snapshot, step.event, next, emittedBy(actions)));
        expect(describeState(next)).toBe(describeState(step.state));
        snapshot = next;
      }
      expect(snapshot.value).toEqual(path.state.value);
    }
    expect(problems).toEqual([]);
  });

  it('when every sample event is sent in every reachable state, then each transition keeps the invariants', () => {
    const problems = allEdges().flatMap(({ before, event, after, emitted }) =>
      problemsOf(before, event, after, emitted),
    );

    expect(problems).toEqual([]);
  });

  it('when the graph is explored, then exactly the expected states are reachable', () => {
    expect(paths.map((path) => describeState(path.state)).sort()).toEqual(
      [
        'handoff deadline',
        'menu',
        'menu misunderstood=1',
        'start',
        'stuck misunderstood=2',
        'stuck misunderstood=3',
        'stuck misunderstood=4+',
      ].sort(),
    );
  });

  it('when in any reachable state, then a path leads back to the menu', () => {
    const edges = allEdges();
    const canReachMenu = new Set<string>();
    for (const { before } of edges) if (before.matches('menu')) canReachMenu.add(describeState(before));
    for (let grew = true; grew;) {
      grew = false;
      for (const { before, after } of edges) {
        if (canReachMenu.has(describeState(after)) && !canReachMenu.has(describeState(before))) {
          canReachMenu.add(describeState(before));
          grew = true;
        }
      }
    }

    expect(paths.map((path) => describeState(path.state)).filter((s) => !canReachMenu.has(s))).toEqual([]);
  });

  it('when in any reachable state, then one global command brings the menu back in one step', () => {
    const stranded: string[] = [];
    for (const path of paths) {
      const ways: FlowEvent[] = path.state.matches('handoff')
        ? [{ type: 'command.cancel' }, { type: 'system.resume' }, { type: 'system.timeout' }]
        : [{ type: 'command.menu' }, { type: 'command.cancel' }];
      for (const event of ways) {
        const [after, actions] = transition(rootFlow, path.state, event);
        const menus = customerMessages(emittedBy(actions)).filter((m) => m.type === 'reply.list');
        if (!after.matches('menu') || menus.length !== 1) {
          stranded.push(`${describeState(path.state)} --${describeEvent(event)}--> ${describeState(after)}`);
        }
      }
    }

    expect(stranded).toEqual([]);
  });

  it('when the bot offers a list row or a button anywhere, then the sample events tap it', () => {
    const offered = new Set<string>();
    for (const { emitted } of allEdges()) {
      for (const message of customerMessages(emitted)) {
        if (message.type === 'reply.list') {
          for (const row of message.sections.flatMap((section) => section.rows))
            offered.add(`user.list ${row.id}`);
        }
        if (message.type === 'reply.buttons') {
          for (const button of message.buttons) offered.add(`user.button ${button.id}`);
        }
      }
    }
    const tapped = new Set(sampleEvents.map(describeEvent));

    expect(offered.size).toBeGreaterThan(0);
    expect([...offered].filter((tap) => !tapped.has(tap))).toEqual([]);
  });
});

const business = toBusinessData(
  '100000000000042',
  businessInput.parse({ name: BUSINESS_NAME, currency: 'EUR' }),
);

/** One customer's chat through the real runner, stored as JSON between messages as the database would. */
function chat(): (event: FlowEvent) => Promise<StepResult> {
  const flow = rootFlowDefinition(business, HANDOFF_MINUTES);
  let stored: StoredFlow | null = null;
  return async (event) => {
    const result = await runStep(flow, stored, event);
    stored = JSON.parse(
      JSON.stringify({ flowId: flow.id, flowVersion: flow.version, snapshot: result.snapshot }),
    ) as StoredFlow;
    return result;
  };
}

const valueOf = (result: StepResult): unknown => result.snapshot.value;
const contextOf = (result: StepResult): Record<string, unknown> =>
  result.snapshot.context as Record<string, unknown>;
const texts = (result: StepResult): string[] =>
  customerMessages(result.emitted).map((message) => ('text' in message ? message.text : message.type));

describe('root flow examples', () => {
  it('when the first message is "hi", then one list message greets with the business name', async () => {
    const send = chat();

    const result = await send(text('hi'));

    expect(result.emitted).toHaveLength(1);
    expect(result.emitted[0]).toMatchObject({ type: 'reply.list', button: 'Options' });
    expect(texts(result)[0]).toContain(BUSINESS_NAME);
    expect(valueOf(result)).toBe('menu');
  });

  it('when the customer types "4", then the customer is told, the staff notified once, and a deadline set', async () => {
    const send = chat();
    await send(text('hi'));
    const before = Date.now();

    const result = await send(text('4'));

    const after = Date.now();
    expect(valueOf(result)).toBe('handoff');
    expect(customerMessages(result.emitted)).toHaveLength(1);
    expect(texts(result)[0]).toContain(BUSINESS_NAME);
    const staff = result.emitted.filter((m) => m.type === 'notify.staff');
    expect(staff).toHaveLength(1);
    expect(staff[0]?.text.trim()).not.toBe('');
    const deadline = Date.parse(String(contextOf(result).deadline));
    expect(deadline).toBeGreaterThanOrEqual(before + HANDOFF_MINUTES * 60_000);
    expect(deadline).toBeLessThanOrEqual(after + HANDOFF_MINUTES * 60_000);
    expect(result.deadline).toBe(contextOf(result).deadline);
  });

  it('when in handoff the customer types "menu", then the bot stays quiet and in handoff', async () => {
    const send = chat();
    await send(text('hi'));
    const handoff = await send(text('4'));

    const result = await send({ type: 'command.menu' });

    expect(result.emitted).toEqual([]);
    expect(valueOf(result)).toBe('handoff');
    expect(result.deadline).toBe(handoff.deadline);
  });

  it('when in handoff the customer types "cancel", then the menu comes back in one message and the deadline goes', async () => {
    const send = chat();
    await send(text('hi'));
    await send(text('4'));

    const result = await send({ type: 'command.cancel' });

    expect(valueOf(result)).toBe('menu');
    expect(result.emitted).toHaveLength(1);
    expect(result.emitted[0]?.type).toBe('reply.list');
    expect(result.deadline).toBeUndefined();
  });

  it.each([{ type: 'system.resume' as const }, { type: 'system.timeout' as const }])(
    'when in handoff $type arrives, then the customer is back at the menu with one message',
    async (event) => {
      const send = chat();
      await send(text('hi'));
      await send(text('4'));

      const result = await send(event);

      expect(valueOf(result)).toBe('menu');
      expect(result.emitted).toHaveLength(1);
      expect(result.emitted[0]?.type).toBe('reply.list');
      expect(result.deadline).toBeUndefined();
    },
  );

  it('when the customer sends gibberish again and again, then no reply repeats the last one and from the fourth on the bot is quiet', async () => {
    const send = chat();
    await send(text('hi'));

    const replies: string[][] = [];
    for (let i = 0; i < 6; i += 1) replies.push(texts(await send(GIBBERISH)));

    const [first, second, third, ...later] = replies;
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(third).toHaveLength(1);
    expect(second).not.toEqual(first);
    expect(third).not.toEqual(second);
    expect(later).toEqual([[], [], []]);
  });

  it('when the first message is something the bot cannot read, then the menu comes with the "can\'t read" notice', async () => {
    const send = chat();

    const result = await send({ type: 'user.unsupported', kind: 'sticker_pack' });

    expect(valueOf(result)).toBe('menu');
    expect(result.emitted).toHaveLength(1);
    expect(texts(result)[0]).toContain(BUSINESS_NAME);
    expect(texts(result)[0]).toMatch(/can't read/);
  });

  it.each([
    { type: 'user.location', latitude: 38.7223, longitude: -9.1393 } satisfies FlowEvent,
    { type: 'user.media', mediaType: 'image', mediaId: 'media-0002' } satisfies FlowEvent,
    { type: 'user.unsupported', kind: 'reaction' } satisfies FlowEvent,
  ])(
    'when the bot is stuck after two misunderstandings and the customer sends $type, then the bot still answers',
    async (event) => {
      const send = chat();
      await send(text('hi'));
      await send(GIBBERISH);
      const stuck = await send(GIBBERISH);
      expect(valueOf(stuck)).toBe('stuck');

      const result = await send(event);

      expect(customerMessages(result.emitted)).not.toEqual([]);
    },
  );
});
