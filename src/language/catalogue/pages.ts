import { defineMessages } from './define.js';

/** Texts of the pages namespace (keys: `pages:<key>`). */
export const pagesMessages = defineMessages({ en: {}, es: {}, pt: {}, fr: {}, de: {} });
