export { startEmbeddedServer } from './server.js';
export type { EmbeddedServer, EmbeddedServerOptions, EmbeddedLogger } from './types.js';
