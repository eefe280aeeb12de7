/** Moved to src/language/privacy-intents.ts: this re-export goes once every import uses the new path. */
export * from '../language/privacy-intents.js';
