import { defineMessages } from './define.js';

/** Texts of the ai namespace (keys: `ai:<key>`). */
export const aiMessages = defineMessages({ en: {}, es: {}, pt: {}, fr: {}, de: {} });
