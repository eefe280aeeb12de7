/** Moved to src/core/identity.ts: this re-export goes once every import uses the new path. */
export * from '../core/identity.js';
