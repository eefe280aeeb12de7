import type { BusinessDirectory } from '../../src/businesses/directory.js';
import type { BusinessData } from '../../src/businesses/schema.js';
import type { FlowDeps } from '../../src/conversation/flows.js';
import type { OrderService } from '../../src/orders/service.js';
import type { PrivacyService } from '../../src/privacy/service.js';

/**
 * Flow dependencies for tests that drive the root flow without a database: the catalog is the given
 * business's, and placing or listing orders (and privacy requests) fail loudly unless a test supplies them.
 */
export function fakeFlowDeps(business: BusinessData, overrides: Partial<FlowDeps> = {}): FlowDeps {
  const directory = { get: () => Promise.resolve(business) } as unknown as BusinessDirectory;
  const orders = {
    placeOrder: () => Promise.reject(new Error('orders not available in this test')),
    recentOrdersOf: () => Promise.resolve([]),
  } as unknown as OrderService;
  const notHere = () => Promise.reject(new Error('privacy requests not available in this test'));
  const privacy = {
    readProfile: () => Promise.resolve({ addresses: [] }),
    saveAddress: () => Promise.resolve(),
    access: notHere,
    offerErasure: notHere,
    decideErasure: notHere,
    setOptOut: notHere,
    applyCorrection: notHere,
  } as unknown as PrivacyService;
  // No AI in these tests unless one is supplied: the deterministic replies.
  const ai = { interpret: () => Promise.resolve({ kind: 'none' as const }) };
  return { directory, orders, privacy, ai, handoffMinutes: 30, abandonedCartHours: 24, ...overrides };
}
