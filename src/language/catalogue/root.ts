import { defineMessages } from './define.js';

/** Texts of the root namespace (keys: `root:<key>`). */
export const rootMessages = defineMessages({ en: {}, es: {}, pt: {}, fr: {}, de: {} });
