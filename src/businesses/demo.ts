import type { BusinessDirectory } from './directory.js';
import { businessInput, toBusinessData } from './schema.js';

/** The demo business's phone number id: a made-up Meta-style id, used by local runs and the simulator. */
export const DEMO_PHONE_NUMBER_ID = '100000000000001';

/** The demo business as an admin would write it: synonyms in the five languages where names differ. */
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
      synonyms: ['margarita', 'marguerita', 'marguerite'],
    },
    {
      id: 'diavola',
      name: 'Diavola',
      price: 11,
      category: 'Pizza',
      description: 'Spicy salami, chili',
    },
    {
      id: 'quattro',
      name: 'Quattro formaggi',
      price: 12,
      category: 'Pizza',
      synonyms: ['four cheese', 'cuatro quesos', 'quatro queijos', 'quatre fromages', 'vier käse'],
    },
    { id: 'tiramisu', name: 'Tiramisù', price: 5.5, category: 'Dessert' },
    {
      id: 'cola',
      name: 'Cola',
      price: 2.5,
      category: 'Drinks',
      synonyms: ['coke', 'coca cola', 'coca', 'refresco', 'refrigerante', 'soda'],
    },
    {
      id: 'water',
      name: 'Still water',
      price: 1.8,
      category: 'Drinks',
      synonyms: [
        'water',
        'agua',
        'agua sin gas',
        'água sem gás',
        'eau',
        'eau plate',
        'wasser',
        'stilles wasser',
      ],
    },
  ],
  faq: [
    { question: 'When are you open?', answer: 'Every day from 12:00 to 23:00.' },
    { question: 'Do you deliver?', answer: 'Yes, within 5 km. Delivery is free over €20.' },
  ],
});

/** The demo business's configuration as stored (prices in minor units): seeded, and read by the ordering tests. */
export const demoBusinessData = () => toBusinessData(DEMO_PHONE_NUMBER_ID, demo);

/** In development the bot answers out of the box: seed the demo business unless it exists. */
export async function seedDemoBusiness(directory: BusinessDirectory): Promise<boolean> {
  if (await directory.get(DEMO_PHONE_NUMBER_ID)) return false;
  await directory.put(demoBusinessData());
  return true;
}
