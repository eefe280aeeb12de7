/** Moved to src/core/money.ts: this re-export goes once every import uses the new path. */
export * from '../core/money.js';
