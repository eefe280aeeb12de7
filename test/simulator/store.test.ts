import { describe, expect, it } from 'vitest';
import { SimulatorStore } from '../../src/simulator/store.js';
import type { SimMessage } from '../../src/simulator/store.js';

const message = (id: string, direction: 'in' | 'out' = 'out'): SimMessage => ({
  id,
  direction,
  at: new Date().toISOString(),
  status: 'pending',
  kind: 'text',
  text: id,
});

describe('the simulator store', () => {
  it('keeps at most the configured chats, messages per chat and media, dropping the oldest', () => {
    const store = new SimulatorStore({ maxChats: 2, maxMessagesPerChat: 3, maxMedia: 2 });
    for (const id of ['a1', 'a2', 'a3', 'a4']) store.add('1', '+100', message(id));
    expect(store.messages('1', '100').map((m) => m.id)).toEqual(['a2', 'a3', 'a4']);
    expect(store.find('a1')).toBeUndefined();
    store.add('1', '200', message('b1'));
    store.add('1', '300', message('c1'));
    expect(store.messages('1', '100')).toEqual([]);
    expect(store.find('a4')).toBeUndefined();
    expect(store.messages('1', '300').map((m) => m.id)).toEqual(['c1']);
    for (const id of ['m1', 'm2', 'm3']) {
      store.putMedia(id, { filename: `${id}.json`, mimeType: 'application/json', data: Buffer.from(id) });
    }
    expect(store.getMedia('m1')).toBeUndefined();
    expect(store.getMedia('m3')?.filename).toBe('m3.json');
  });

  it('moves statuses forward only, and a read receipt covers earlier customer messages', () => {
    const store = new SimulatorStore();
    store.add('1', '100', message('out1'));
    store.setStatus('out1', 'read');
    store.setStatus('out1', 'delivered');
    expect(store.find('out1')?.status).toBe('read');
    store.add('1', '100', message('in1', 'in'));
    store.add('1', '100', message('in2', 'in'));
    store.add('1', '100', message('in3', 'in'));
    store.markInboundRead('in2');
    expect(store.messages('1', '100').map((m) => m.status)).toEqual(['read', 'read', 'read', 'pending']);
  });
});
