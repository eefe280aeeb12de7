/** What the portal is told about, live: kinds of change, never their content. */
export type LiveKind =
  'handoff.opened' | 'handoff.message' | 'handoff.updated' | 'order.placed' | 'order.updated';

export interface LiveEvent {
  business: string /* phoneNumberId */;
  kind: LiveKind;
  ref: string /* id, never personal data */;
}

export interface LivePublisher {
  publish(event: LiveEvent): Promise<void>;
}

export const noLive: LivePublisher = { publish: async () => {} };
