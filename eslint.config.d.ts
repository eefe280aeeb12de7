// Types for eslint.config.js, so the layering test (test/architecture/layers.test.ts) can import its rules.
import type { Linter } from 'eslint';

/** The import-direction rules alone (STYLE.md §2a). */
export declare const layering: Linter.Config[];
declare const config: Linter.Config[];
export default config;
