/**
 * What the flow graph tests send: realistic customer events, the runner's own events, and every outcome of
 * each invoked actor (they stand in for the database, the services and the AI). Shared by the path tests of
 * the root and of each concern (test/flows/<concern>.flow.test.ts).
 */
import type { SnapshotFrom } from 'xstate';
import type { rootFlow } from '../../../flows/root.flow.js';
import type { OrderingCatalog, RootInput, TextInterpretation } from '../../../flows/root.flow.js';
import type { FlowEvent } from '../../../src/core/vocabulary.js';

export type RootSnapshot = SnapshotFrom<typeof rootFlow>;

export const BUSINESS_NAME = 'Casa Lúcia';
export const HANDOFF_MINUTES = 45;
export const input: RootInput = {
  businessName: BUSINESS_NAME,
  handoffMinutes: HANDOFF_MINUTES,
  abandonedCartHours: 24,
  now: '2025-05-01T10:00:00.000Z',
  language: 'en',
  staffLanguage: 'en',
  // Both, so the graph reaches booking too (flows/booking.flow.ts); the menu then shows every row.
  offers: ['ordering', 'appointments'],
};

export const text = (body: string): FlowEvent => ({ type: 'user.text', text: body });
export const list = (id: string, title = id): FlowEvent => ({ type: 'user.list', id, title });
export const button = (id: string, title = id): FlowEvent => ({ type: 'user.button', id, title });
export const GIBBERISH = text('asdfgh qwerty zxcv');

/**
 * The menu the ordering steps load: four dishes in two categories (so the browse message is a list),
 * two of them sharing a word (so a typed name can be ambiguous), and one sold out.
 */
export const CATALOG: OrderingCatalog = {
  currency: 'EUR',
  fulfilment: { pickup: true, delivery: true },
  items: [
    { id: 'margherita', name: 'Margherita', priceMinor: 900, category: 'Pizzas', available: true },
    { id: 'diavola', name: 'Pizza Diavola', priceMinor: 1100, category: 'Pizzas', available: true },
    { id: 'calzone', name: 'Calzone Diavola', priceMinor: 1200, category: 'Pizzas', available: true },
    { id: 'coke', name: 'Coca-Cola', priceMinor: 250, category: 'Drinks', available: true },
    { id: 'tiramisu', name: 'Tiramisu', priceMinor: 500, category: 'Desserts', available: false },
  ],
};
/** The same menu at checkout after the business changed it: Margherita dearer, Coca-Cola sold out. */
export const REPRICED: OrderingCatalog = {
  ...CATALOG,
  items: CATALOG.items.map((item) =>
    item.id === 'margherita'
      ? { ...item, priceMinor: 950 }
      : item.id === 'coke'
        ? { ...item, available: false }
        : item,
  ),
};
/** Everything sold out: nothing can be ordered, and a cart empties at checkout. */
export const SOLD_OUT: OrderingCatalog = {
  ...CATALOG,
  items: CATALOG.items.map((item) => ({ ...item, available: false })),
};
export const CATALOGS = { base: CATALOG, repriced: REPRICED, 'sold-out': SOLD_OUT } as const;
export const TRACKING_TEXT = 'Your recent orders:\n• Order *1001*: placed, €9.00, 2025-05-01';
/** The single-use token the fake erasure offer puts on its *Delete my data* / *Keep my data* buttons. */
export const ERASE_TOKEN = 'tok-0001';
/** A profile with a name and two saved addresses (a typed one and a shared location), for corrections. */
export const PROFILE = {
  name: 'Ana',
  addresses: [{ text: 'Rua Augusta 1, Lisboa' }, { latitude: 38.7223, longitude: -9.1393 }],
};
/** What an AI answers to a question about the business (src/ai/). */
export const AI_ANSWER = 'We are open every day from 11:00 to 23:00, and we deliver.';
/**
 * Orders an AI read from typed text, names and prices checked against the catalog (src/conversation/flows.ts):
 * one line, and two lines. Between the proposal and the tap the menu may change: REPRICED makes the Margherita
 * dearer and sells the Coca-Cola out, SOLD_OUT sells everything out.
 */
export const ONE_LINE_PROPOSAL: TextInterpretation = {
  kind: 'order',
  currency: 'EUR',
  lines: [{ itemId: 'margherita', quantity: 2, name: 'Margherita', unitPriceMinor: 900 }],
};
export const TWO_LINE_PROPOSAL: TextInterpretation = {
  kind: 'order',
  currency: 'EUR',
  lines: [
    { itemId: 'diavola', quantity: 1, name: 'Pizza Diavola', unitPriceMinor: 1100 },
    { itemId: 'coke', quantity: 3, name: 'Coca-Cola', unitPriceMinor: 250 },
  ],
};

/** Booking's sample slot: a day, its time, and the nearest free time offered when it was taken. */
export const BOOKING_DAY = '2025-05-02';
export const BOOKING_START = '2025-05-02T07:00:00.000Z';
export const BOOKING_ALTERNATIVE = '2025-05-02T07:30:00.000Z';
/** Two services, each with an intake question. */
export const BOOKING_SERVICES = [
  {
    id: 'cleaning',
    title: 'Dental cleaning',
    description: '45′ · €60.00',
    names: ['limpieza'],
    intake: [{ id: 'reason', question: 'Anything we should know?', maxLength: 100 }],
  },
  // Its question too: the graph tells states apart by their value, so whichever service it reaches first
  // decides whether the question step is reached.
  { id: 'checkup', title: 'Check-up', description: '30′', intake: [{ id: 'reason', question: 'Why?' }] },
];

/** What customers and the runner really send the root flow (commands already detected, see intents.ts). */
export const sampleEvents: FlowEvent[] = [
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
  list('menu.order', 'Order'),
  list('menu.track', 'Track my order'),
  list('menu.privacy', 'My data & privacy'),
  list('menu.human', 'Talk to a person'),
  // The list of languages, and a language picked from it.
  list('menu.language', '🌐 Language'),
  list('language.en', 'English'),
  list('language.es', 'Español'),
  list('language.pt', 'Português'),
  list('language.fr', 'Français'),
  list('language.de', 'Deutsch'),
  button('stuck.menu', 'Show options'),
  button('menu.human', 'Talk to a person'),
  { type: 'command.menu' },
  { type: 'command.help' },
  { type: 'command.cancel' },
  { type: 'command.human' },
  { type: 'system.timeout' },
  { type: 'system.resume' },
  // Ordering: taps on the menu (current, sold out, forged), categories and pages, quantities, the cart.
  list('item:margherita', 'Margherita'),
  list('item:diavola', 'Pizza Diavola'),
  list('item:calzone', 'Calzone Diavola'),
  list('item:coke', 'Coca-Cola'),
  list('item:tiramisu', 'Tiramisu'),
  list('item:nope', 'Nope'),
  list('cat:Pizzas', 'Pizzas'),
  list('more::2', 'More…'),
  button('item:margherita', 'Margherita'),
  button('item:diavola', 'Pizza Diavola'),
  button('item:calzone', 'Calzone Diavola'),
  button('qty:1', '1'),
  button('qty:2', '2'),
  button('qty:3', '3'),
  button('qty:0', 'Remove'),
  button('cart:add', 'Add more'),
  button('cart:view', 'View cart'),
  button('cart:checkout', 'Checkout'),
  button('cart:clear', 'Clear cart'),
  button('cart:edit', 'Change'),
  button('line:margherita', 'Margherita'),
  button('line:diavola', 'Pizza Diavola'),
  button('line:calzone', 'Calzone Diavola'),
  button('line:coke', 'Coca-Cola'),
  list('line:margherita', 'Margherita'),
  button('order.pickup', 'Pickup'),
  button('order.delivery', 'Delivery'),
  button('order.nonote', 'No note'),
  button('order.confirm', 'Confirm'),
  button('order.edit', 'Edit'),
  button('order.cancel', 'Cancel'),
  button('order.cancel.yes', 'Yes, cancel'),
  button('order.cancel.no', 'No, keep it'),
  button('order.cancelPlaced:1001', 'Cancel order 1001'),
  button('order.cancelPlaced.yes', 'Yes, cancel'),
  button('order.cancelPlaced.no', 'No, keep it'),
  button('cmd.menu', 'Main menu'),
  text('margarita'),
  text('diavola'),
  text('0'),
  text('lots'),
  text('checkout'),
  text('change'),
  text('delivery'),
  text('Rua Augusta 1, Lisboa'),
  text('confirm'),
  text('no'),
  // Privacy requests, as src/privacy/intents.ts turns typed text and taps on the privacy rows into them.
  { type: 'privacy.menu' },
  { type: 'privacy.access' },
  { type: 'privacy.erase' },
  { type: 'privacy.erase', otherPerson: true },
  { type: 'privacy.eraseConfirm', token: ERASE_TOKEN },
  { type: 'privacy.eraseCancel', token: ERASE_TOKEN },
  { type: 'privacy.correct' },
  { type: 'privacy.correct', field: 'name' },
  { type: 'privacy.correct', field: 'address' },
  { type: 'privacy.correct', field: 'phone' },
  { type: 'privacy.optOut' },
  { type: 'privacy.optIn' },
  { type: 'privacy.noAi' },
  { type: 'privacy.aiOk' },
  // An AI's proposal of cart lines: *Add to cart* / *No, thanks*, tapped or typed ("no" is above).
  button('ai.cart.yes', 'Add to cart'),
  button('ai.cart.no', 'No, thanks'),
  text('yes'),
  // Correcting: a saved address picked (current, forged), a name, *remove*, *Save* and *Cancel*.
  list('pv.fix.addr:0', 'Address 1'),
  list('pv.fix.addr:1', 'Address 2'),
  list('pv.fix.addr:7', 'Address 8'),
  text('Ana Maria'),
  text('remove'),
  button('pv.fix.yes', 'Save'),
  button('pv.fix.no', 'Cancel'),
  // Booking: the menu row, a service (tapped, typed, forged), *More…*, *My appointments*, a day, a time, a
  // staff member or anyone, the summary's buttons, an appointment and what can be done with it.
  list('menu.book', 'Book an appointment'),
  list('booking.service:cleaning', 'Dental cleaning'),
  list('booking.service:checkup', 'Check-up'),
  list('booking.mine', 'My appointments'),
  text('cleaning'),
  list(`booking.day:${BOOKING_DAY}`, 'Fri 2 May'),
  list(`booking.time:${BOOKING_START}`, '09:00'),
  list(`booking.time:${BOOKING_ALTERNATIVE}`, 'Fri 2 May, 09:30'),
  list('booking.staff:ana', 'Dr. Ana Ruiz'),
  list('booking.staff:ben', 'Dr. Ben Ito'),
  list('booking.staff', 'Anyone available'),
  button('booking.confirm', 'Confirm'),
  button('booking.change', 'Change'),
  button('booking.drop', 'Cancel'),
  list('booking.appt:a1', 'Fri 9 May, 10:00'),
  button('booking.move', 'Reschedule'),
  button('booking.cancel', 'Cancel it'),
  button('booking.cancel.yes', 'Yes, cancel'),
  button('booking.cancel.no', 'No, keep it'),
  // A reminder's buttons (src/language/intents.ts turns `appt.<action>:<id>` taps into these), from any step.
  { type: 'appointment.confirm', id: 'a1' },
  { type: 'appointment.move', id: 'a1' },
  { type: 'appointment.cancel', id: 'a1' },
];

/** What the invoked actors answer, by the actor's `src`: each outcome the flow must handle. */
export const actorOutcomes: Record<string, Array<{ output: unknown } | { error: unknown }>> = {
  loadCatalog: [
    { output: CATALOG },
    { output: REPRICED },
    { output: SOLD_OUT },
    { error: new Error('db down') },
  ],
  placeOrder: [{ output: { orderNumber: '1001' } }, { error: new Error('db down') }],
  recentOrders: [
    { output: { text: TRACKING_TEXT, cancellable: ['1001'] } },
    { output: { text: "You haven't placed any orders here yet.", cancellable: [] } },
    { error: new Error('db down') },
  ],
  cancelPlacedOrder: [{ output: undefined }, { error: new Error('already confirmed') }],
  privacyAccess: [
    {
      output: {
        messages: [
          { type: 'reply.text', text: '*Your data with Casa Lúcia*\n• Your profile: name Ana' },
          {
            type: 'reply.document',
            filename: 'my-data-2025-05-01.json',
            caption: 'Your data with Casa Lúcia (PRV-0001)',
            content: { base64: Buffer.from('{}').toString('base64'), mimeType: 'application/json' },
          },
        ],
      },
    },
    { error: new Error('db down') },
  ],
  offerErasure: [
    {
      output: {
        kind: 'offer',
        text: '*Delete your data with Casa Lúcia?*',
        token: ERASE_TOKEN,
        openOrders: [],
      },
    },
    {
      output: {
        kind: 'offer',
        text: '*Delete your data with Casa Lúcia?*',
        token: ERASE_TOKEN,
        openOrders: [
          { orderNumber: 1001, status: 'placed', outcome: 'cancel' },
          { orderNumber: 1002, status: 'out_for_delivery', outcome: 'handover' },
        ],
      },
    },
    { output: { kind: 'in-progress', text: 'Your data is being deleted already.' } },
    { error: new Error('db down') },
  ],
  decideErasure: [
    { output: { kind: 'confirmed', requestId: 'req-0001' } },
    { output: { kind: 'cancelled' } },
    { output: { kind: 'stale' } },
    { error: new Error('db down') },
  ],
  setOptOut: [{ output: undefined }, { error: new Error('db down') }],
  loadProfile: [{ output: PROFILE }, { output: { addresses: [] } }, { error: new Error('db down') }],
  applyCorrection: [{ output: undefined }, { error: new Error('no saved address at that position') }],
  // No AI (not enabled, no endpoint, or nothing useful), an answer, an order of one or two lines, a failure.
  interpretText: [
    { output: { kind: 'none' } },
    { output: { kind: 'answer', text: AI_ANSWER } },
    { output: ONE_LINE_PROPOSAL },
    { output: TWO_LINE_PROPOSAL },
    { error: new Error('AI endpoint timed out') },
  ],
  setAiPreference: [{ output: undefined }, { error: new Error('db down') }],
  bookingServices: [{ output: BOOKING_SERVICES }, { output: [] }, { error: new Error('db down') }],
  bookingDays: [
    { output: [{ date: BOOKING_DAY, title: 'Fri 2 May', description: '6' }] },
    { output: [] },
    { error: new Error('db down') },
  ],
  bookingTimes: [{ output: [{ start: BOOKING_START, title: '09:00' }] }, { output: [] }],
  bookingStaff: [
    { output: [] },
    {
      output: [
        { id: 'ana', title: 'Dr. Ana Ruiz' },
        { id: 'ben', title: 'Dr. Ben Ito' },
      ],
    },
  ],
  bookingBook: [
    { output: { status: 'booked', number: 'A-1001', summary: 'Dental cleaning, Fri 2 May 09:00' } },
    {
      output: { status: 'taken', alternatives: [{ start: BOOKING_ALTERNATIVE, title: 'Fri 2 May, 09:30' }] },
    },
    { output: { status: 'taken', alternatives: [] } },
    { error: new Error('db down') },
  ],
  myAppointments: [
    {
      output: {
        text: '• Fri 9 May, 10:00 · Dental cleaning (A-1000)',
        items: [
          { id: 'a1', title: 'Fri 9 May, 10:00', serviceId: 'cleaning', cancellable: true, movable: true },
        ],
      },
    },
    { output: { text: 'No upcoming appointments.', items: [] } },
    { error: new Error('db down') },
  ],
  // The reminder's appointment: open (changeable, or past the cut-off), gone (stale, forged, someone else's).
  appointmentOf: [
    {
      output: {
        status: 'open',
        appointment: {
          id: 'a1',
          title: 'Fri 9 May 10:00',
          when: 'Fri 9 May at 10:00',
          serviceId: 'cleaning',
          cancellable: true,
          movable: true,
        },
      },
    },
    {
      output: {
        status: 'open',
        appointment: {
          id: 'a1',
          title: 'Fri 9 May 10:00',
          when: 'Fri 9 May at 10:00',
          serviceId: 'cleaning',
          cancellable: false,
          movable: false,
        },
      },
    },
    { output: { status: 'gone' } },
    { error: new Error('db down') },
  ],
  cancelAppointment: [
    { output: { status: 'cancelled' } },
    { output: { status: 'too_late' } },
    { error: new Error('db down') },
  ],
};
