/** Moved to src/language/intents.ts: this re-export goes once every import uses the new path. */
export * from '../language/intents.js';
