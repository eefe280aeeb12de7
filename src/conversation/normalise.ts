/** Moved to src/core/normalise.ts: this re-export goes once every import uses the new path. */
export * from '../core/normalise.js';
