import type { BusinessDirectory } from './directory.js';
import { businessInput, toBusinessData } from './schema.js';

/** The demo business's phone number id: a made-up Meta-style id, used by local runs and the simulator. */
export const DEMO_PHONE_NUMBER_ID = '100000000000001';

const demo = businessInput.parse({
  name: 'Polus Pizzeria (demo)',
  currency: 'EUR',
  locale: 'en',
  fulfilment: { pickup: true, delivery: true },
  catalog: [
    {
      id: 'margherita',
      name: 'Margherita',
      price: 9.5,
      category: 'Pizza',
      description: 'Tomato, mozzarella, basil',
    },
    { id: 'diavola', name: 'Diavola', price: 11, category: 'Pizza', description: 'Spicy salami, chili' },
    { id: 'quattro', name: 'Quattro formaggi', price: 12, category: 'Pizza' },
    { id: 'tiramisu', name: 'Tiramisù', price: 5.5, category: 'Dessert' },
    { id: 'cola', name: 'Cola', price: 2.5, category: 'Drinks' },
    { id: 'water', name: 'Still water', price: 1.8, category: 'Drinks' },
  ],
  faq: [
    { question: 'When are you open?', answer: 'Every day from 12:00 to 23:00.' },
    { question: 'Do you deliver?', answer: 'Yes, within 5 km. Delivery is free over €20.' },
  ],
});

/** In development the bot answers out of the box: seed the demo business unless it exists. */
export async function seedDemoBusiness(directory: BusinessDirectory): Promise<boolean> {
  if (await directory.get(DEMO_PHONE_NUMBER_ID)) return false;
  await directory.put(toBusinessData(DEMO_PHONE_NUMBER_ID, demo));
  return true;
}
