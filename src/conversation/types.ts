/** Moved to src/core/vocabulary.ts: this re-export goes once every import uses the new path. */
export * from '../core/vocabulary.js';
