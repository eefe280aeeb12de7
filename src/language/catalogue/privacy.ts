import { defineMessages } from './define.js';

/** Texts of the privacy namespace (keys: `privacy:<key>`). */
export const privacyMessages = defineMessages({ en: {}, es: {}, pt: {}, fr: {}, de: {} });
