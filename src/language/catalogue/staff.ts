import { defineMessages } from './define.js';

/** Texts of the staff namespace (keys: `staff:<key>`). */
export const staffMessages = defineMessages({ en: {}, es: {}, pt: {}, fr: {}, de: {} });
