import { defineMessages } from './define.js';

/** Texts of the tracking namespace (keys: `tracking:<key>`). */
export const trackingMessages = defineMessages({ en: {}, es: {}, pt: {}, fr: {}, de: {} });
