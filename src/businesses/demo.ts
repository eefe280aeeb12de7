import type { BusinessDirectory } from './directory.js';
import { businessInput, toBusinessData } from './schema.js';

/** The demo business's phone number id: a made-up Meta-style id, used by local runs and the simulator. */
export const DEMO_PHONE_NUMBER_ID = '100000000000001';

/**
 * The demo business as an admin would write it: its texts in English, translated into the other four languages
 * the bot speaks (names where they differ, descriptions and categories), and synonyms for the words people type.
 */
const demo = businessInput.parse({
  name: 'Polus Pizzeria (demo)',
  currency: 'EUR',
  locale: 'en',
  fulfilment: { pickup: true, delivery: true },
  // What its FAQ promises: delivery costs €2.50, free from €20.
  deliveryFee: 2.5,
  freeDeliveryOver: 20,
  catalog: [
    {
      id: 'margherita',
      retailerId: 'SKU-MARGHERITA',
      name: 'Margherita',
      price: 9.5,
      category: 'Pizza',
      description: 'Tomato, mozzarella, basil',
      synonyms: ['margarita', 'marguerita', 'marguerite'],
      translations: {
        es: { description: 'Tomate, mozzarella, albahaca', category: 'Pizzas' },
        pt: { description: 'Tomate, mozarela, manjericão', category: 'Pizzas' },
        fr: { description: 'Tomate, mozzarella, basilic', category: 'Pizzas' },
        de: { description: 'Tomate, Mozzarella, Basilikum' },
      },
    },
    {
      id: 'diavola',
      retailerId: 'SKU-DIAVOLA',
      name: 'Diavola',
      price: 11,
      category: 'Pizza',
      description: 'Spicy salami, chili',
      translations: {
        es: { description: 'Salami picante, guindilla', category: 'Pizzas' },
        pt: { description: 'Salame picante, malagueta', category: 'Pizzas' },
        fr: { description: 'Salami piquant, piment', category: 'Pizzas' },
        de: { description: 'Scharfe Salami, Chili' },
      },
    },
    {
      id: 'quattro',
      retailerId: 'SKU-QUATTRO',
      name: 'Quattro formaggi',
      price: 12,
      category: 'Pizza',
      synonyms: ['four cheese', 'cuatro quesos', 'quatro queijos', 'quatre fromages', 'vier käse'],
      translations: { es: { category: 'Pizzas' }, pt: { category: 'Pizzas' }, fr: { category: 'Pizzas' } },
    },
    {
      id: 'tiramisu',
      name: 'Tiramisù',
      price: 5.5,
      category: 'Dessert',
      translations: {
        es: { category: 'Postres' },
        pt: { category: 'Sobremesas' },
        fr: { category: 'Desserts' },
        de: { category: 'Nachtisch' },
      },
    },
    {
      id: 'cola',
      retailerId: 'SKU-COLA',
      name: 'Cola',
      price: 2.5,
      category: 'Drinks',
      synonyms: ['coke', 'coca cola', 'coca', 'refresco', 'refrigerante', 'soda'],
      translations: {
        es: { category: 'Bebidas' },
        pt: { category: 'Bebidas' },
        fr: { category: 'Boissons' },
        de: { category: 'Getränke' },
      },
    },
    {
      id: 'water',
      name: 'Still water',
      price: 1.8,
      category: 'Drinks',
      // The translated names are matched as names already: the synonyms are the shorter words people type.
      synonyms: ['water', 'agua', 'água', 'eau', 'wasser'],
      translations: {
        es: { name: 'Agua sin gas', category: 'Bebidas' },
        pt: { name: 'Água sem gás', category: 'Bebidas' },
        fr: { name: 'Eau plate', category: 'Boissons' },
        de: { name: 'Stilles Wasser', category: 'Getränke' },
      },
    },
  ],
  // The FAQ in the five languages the bot speaks, with other ways people ask: a customer is answered in theirs.
  faq: [
    {
      question: 'When are you open?',
      answer: 'Every day from 12:00 to 23:00.',
      language: 'en',
      phrasings: ['opening hours', 'what time do you close'],
      translations: {
        es: {
          question: '¿Cuándo abren?',
          answer: 'Todos los días de 12:00 a 23:00.',
          phrasings: ['¿A qué hora abren?', 'horario', '¿A qué hora cierran?', '¿Están abiertos?'],
        },
        pt: {
          question: 'Quando vocês abrem?',
          answer: 'Todos os dias, das 12:00 às 23:00.',
          phrasings: ['Que horas abrem?', 'horário', 'Que horas fecham?', 'Estão abertos?'],
        },
        fr: {
          question: 'Quand êtes-vous ouverts ?',
          answer: 'Tous les jours de 12h00 à 23h00.',
          phrasings: ['Vous ouvrez à quelle heure ?', 'horaires', 'Vous fermez à quelle heure ?'],
        },
        de: {
          question: 'Wann haben Sie geöffnet?',
          answer: 'Jeden Tag von 12:00 bis 23:00 Uhr.',
          phrasings: ['Öffnungszeiten', 'Wann macht ihr auf?', 'Wann schließt ihr?', 'Habt ihr offen?'],
        },
      },
    },
    {
      question: 'Do you deliver?',
      answer: 'Yes, within 5 km. Delivery is free over €20.',
      language: 'en',
      phrasings: ['delivery', 'can you bring it to my home'],
      translations: {
        es: {
          question: '¿Hacen entregas a domicilio?',
          answer: 'Sí, a menos de 5 km. El envío es gratis a partir de 20 €.',
          phrasings: ['¿Entregan a domicilio?', 'reparto', 'envío a domicilio', '¿Llevan a casa?'],
        },
        pt: {
          question: 'Vocês fazem entregas?',
          answer: 'Sim, num raio de 5 km. A entrega é grátis acima de 20 €.',
          phrasings: ['Vocês entregam?', 'delivery', 'entrega em casa'],
        },
        fr: {
          question: 'Vous livrez à domicile ?',
          answer: 'Oui, dans un rayon de 5 km. La livraison est offerte dès 20 €.',
          phrasings: ['livraison', 'Vous faites la livraison ?'],
        },
        de: {
          question: 'Liefern Sie?',
          answer: 'Ja, im Umkreis von 5 km. Ab 20 € liefern wir kostenlos.',
          phrasings: ['Lieferung', 'Liefert ihr?', 'Lieferservice'],
        },
      },
    },
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

/** The demo clinic's phone number id: a second made-up Meta-style id, so the simulator can book appointments. */
export const DEMO_CLINIC_PHONE_NUMBER_ID = '100000000000002';

const morningsAndEvenings = [
  { start: '09:00', end: '14:00' },
  { start: '16:00', end: '20:00' },
];
const mornings = [{ start: '08:30', end: '14:30' }];

/**
 * The demo clinic as an admin would write it: a dental clinic in Madrid that takes appointments only (no
 * ordering), its services named in Spanish and translated into the bot's other languages, two dentists and
 * a hygienist with weekly hours, and the holidays of the season.
 */
const clinic = businessInput.parse({
  name: 'Clínica Sonrisa (demo)',
  currency: 'EUR',
  locale: 'es',
  timeZone: 'Europe/Madrid',
  offering: {
    offers: ['appointments'],
    serviceNoun: {
      es: { one: 'tratamiento', other: 'tratamientos' },
      en: { one: 'treatment', other: 'treatments' },
      pt: { one: 'tratamento', other: 'tratamentos' },
      fr: { one: 'soin', other: 'soins' },
      de: { one: 'Behandlung', other: 'Behandlungen' },
    },
  },
  booking: {
    resources: [
      {
        id: 'dra-ruiz',
        name: 'Dra. Ana Ruiz',
        kind: 'staff',
        week: {
          mon: morningsAndEvenings,
          tue: morningsAndEvenings,
          wed: morningsAndEvenings,
          thu: morningsAndEvenings,
          fri: [{ start: '09:00', end: '15:00' }],
        },
      },
      {
        id: 'dr-soto',
        name: 'Dr. Luis Soto',
        kind: 'staff',
        week: {
          mon: [{ start: '10:00', end: '19:00' }],
          wed: [{ start: '10:00', end: '19:00' }],
          fri: [{ start: '10:00', end: '19:00' }],
          sat: [{ start: '09:00', end: '13:00' }],
        },
      },
      {
        id: 'higienista-marta',
        name: 'Marta Gil (higienista)',
        kind: 'staff',
        week: { mon: mornings, tue: mornings, wed: mornings, thu: mornings, fri: mornings },
      },
    ],
    services: [
      {
        id: 'limpieza',
        name: 'Limpieza dental',
        description: 'Limpieza profesional con ultrasonidos y pulido',
        durationMinutes: 45,
        bufferMinutes: 15,
        price: 60,
        resourceIds: ['higienista-marta', 'dra-ruiz'],
        synonyms: ['limpieza', 'higiene', 'cleaning'],
        translations: {
          en: { name: 'Dental cleaning', description: 'Professional ultrasonic cleaning and polishing' },
          pt: { name: 'Limpeza dentária', description: 'Limpeza profissional com ultrassom e polimento' },
          fr: { name: 'Détartrage', description: 'Nettoyage professionnel aux ultrasons et polissage' },
          de: { name: 'Zahnreinigung', description: 'Professionelle Ultraschallreinigung und Politur' },
        },
      },
      {
        id: 'revision',
        name: 'Revisión',
        description: 'Revisión general y diagnóstico',
        durationMinutes: 30,
        price: 0,
        resourceIds: ['dra-ruiz', 'dr-soto'],
        synonyms: ['revision', 'chequeo', 'check-up'],
        intake: [
          {
            id: 'motivo',
            text: '¿Cuál es el motivo de la visita?',
            translations: {
              en: 'What is the reason for your visit?',
              pt: 'Qual é o motivo da consulta?',
              fr: 'Quel est le motif de votre visite ?',
              de: 'Was ist der Grund Ihres Besuchs?',
            },
          },
        ],
        translations: {
          en: { name: 'Check-up', description: 'General check-up and diagnosis' },
          pt: { name: 'Consulta de revisão', description: 'Revisão geral e diagnóstico' },
          fr: { name: 'Contrôle', description: 'Contrôle général et diagnostic' },
          de: { name: 'Kontrolle', description: 'Allgemeine Kontrolle und Diagnose' },
        },
      },
      {
        id: 'blanqueamiento',
        name: 'Blanqueamiento',
        description: 'Blanqueamiento dental en consulta',
        durationMinutes: 60,
        bufferMinutes: 10,
        price: 250,
        resourceIds: ['dra-ruiz', 'dr-soto'],
        remindersMinutes: [2880, 120],
        synonyms: ['blanquear', 'whitening'],
        translations: {
          en: { name: 'Teeth whitening', description: 'In-clinic teeth whitening' },
          pt: { name: 'Branqueamento', description: 'Branqueamento dentário no consultório' },
          fr: { name: 'Blanchiment', description: 'Blanchiment dentaire au cabinet' },
          de: { name: 'Bleaching', description: 'Zahnaufhellung in der Praxis' },
        },
      },
    ],
    exceptions: [
      { date: '2026-12-25', note: 'Navidad' },
      { date: '2027-01-01', note: 'Año Nuevo' },
      { date: '2027-01-06', note: 'Reyes' },
    ],
    earliestMinutes: 120,
    latestDays: 60,
    slotStepMinutes: 15,
    cancelCutoffMinutes: 1440,
    remindersMinutes: [1440, 120],
    chooseStaff: true,
  },
});

/** The demo clinic's configuration as stored (prices in minor units): seeded beside the pizzeria. */
export const demoClinicData = () => toBusinessData(DEMO_CLINIC_PHONE_NUMBER_ID, clinic);

/** In development the simulator can also book appointments: seed the demo clinic unless it exists. */
export async function seedDemoClinic(directory: BusinessDirectory): Promise<boolean> {
  if (await directory.get(DEMO_CLINIC_PHONE_NUMBER_ID)) return false;
  await directory.put(demoClinicData());
  return true;
}
