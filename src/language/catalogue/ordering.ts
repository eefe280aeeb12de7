import { defineMessages } from './define.js';

/** Texts of the ordering namespace (keys: `ordering:<key>`). */
export const orderingMessages = defineMessages({ en: {}, es: {}, pt: {}, fr: {}, de: {} });
