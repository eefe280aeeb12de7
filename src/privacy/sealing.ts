/** Moved to src/core/sealing.ts: this re-export goes once every import uses the new path. */
export * from '../core/sealing.js';
