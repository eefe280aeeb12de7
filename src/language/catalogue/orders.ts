import { defineMessages } from './define.js';

/** Texts of the orders namespace (keys: `orders:<key>`). */
export const ordersMessages = defineMessages({ en: {}, es: {}, pt: {}, fr: {}, de: {} });
