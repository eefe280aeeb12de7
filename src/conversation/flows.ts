import { rootFlow, rootFlowId, rootVersion } from '../../flows/root.flow.js';
import type { RootInput } from '../../flows/root.flow.js';
import type { BusinessData } from '../businesses/schema.js';
import type { FlowDefinition } from './runner.js';

/** The root flow as the runner drives it for one business's customers. */
export function rootFlowDefinition(
  business: BusinessData,
  handoffMinutes: number,
): FlowDefinition<RootInput> {
  return {
    id: rootFlowId,
    version: rootVersion,
    machine: rootFlow,
    input: (restarted) => ({ businessName: business.name, handoffMinutes, restarted }),
  };
}
