import { describe, expect, it } from 'vitest';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';
import { rootFlowDefinition } from '../../src/conversation/flows.js';
import { toFlowEvent } from '../../src/language/intents.js';
import { runStep } from '../../src/conversation/runner.js';
import type { StepResult, StoredFlow } from '../../src/conversation/runner.js';
import type { FlowEmitted, FlowEvent } from '../../src/core/vocabulary.js';
import { fakeFlowDeps } from '../helpers/flows.js';

const business = toBusinessData(
  '100000000000077',
  businessInput.parse({
    name: 'Note Test',
    currency: 'EUR',
    fulfilment: { pickup: true, delivery: false },
    catalog: [{ id: 'margherita', name: 'Margherita', price: 9.5 }],
  }),
);
const flow = rootFlowDefinition(business, 'customer-ref', fakeFlowDeps(business));

/** Drives the conversation to the note question (pickup only), then answers it. */
async function answerNote(answer: FlowEvent): Promise<FlowEmitted[]> {
  let stored: StoredFlow | null = null;
  let last: FlowEmitted[] = [];
  const steps: FlowEvent[] = [
    { type: 'user.text', text: 'hi' },
    { type: 'user.text', text: '1' },
    { type: 'user.text', text: 'margherita' },
    { type: 'user.text', text: '2' },
    { type: 'user.text', text: 'checkout' },
    answer,
  ];
  for (const step of steps) {
    const result: StepResult = await runStep(
      flow,
      stored,
      step.type === 'user.text' ? toFlowEvent(step) : step,
    );
    stored = { flowId: flow.id, flowVersion: flow.version, snapshot: result.snapshot };
    last = result.emitted;
  }
  return last;
}

function summaryText(emitted: FlowEmitted[]): string {
  const summary = emitted.find((m) => m.type === 'reply.buttons');
  return summary && summary.type === 'reply.buttons' ? summary.text : '';
}

describe('ordering: the note step', () => {
  it.each([
    ['no note', '*Your order*'],
    ['No', '*Your order*'],
    ['none', '*Your order*'],
    ['nada', '*Your order*'],
    ['sem nota', '*Your order*'],
    // Two words or more are read by the detector: clearly Portuguese or French, the summary follows.
    ['Sem observação', '*Seu pedido*'],
    ['Pas de note', '*Votre commande*'],
    // "nein" is German only: the conversation turns German, and so does the summary.
    ['nein', '*Ihre Bestellung*'],
  ])('when the customer types %j, then the summary (%s) has no note', async (typed, title) => {
    const text = summaryText(await answerNote({ type: 'user.text', text: typed }));
    expect(text).toContain(title);
    expect(text).not.toMatch(/Note:|Notiz:|Observação:/);
  });

  it('when the customer types a real note, then the summary shows it', async () => {
    const text = summaryText(await answerNote({ type: 'user.text', text: 'No onions please' }));
    expect(text).toContain('Note: No onions please');
  });

  it('when an older message is tapped instead, then the note question is asked again', async () => {
    const emitted = await answerNote({ type: 'user.button', id: 'cart:clear', title: 'Clear cart' });
    expect(emitted).toHaveLength(1);
    expect(emitted[0]?.type === 'reply.buttons' && emitted[0].text).toContain('Type a note');
  });
});
