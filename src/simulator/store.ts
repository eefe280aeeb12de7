/**
 * The simulator's memory: every chat (one business number × one customer) with the messages both ways, and
 * the media the bot uploaded. In memory only and bounded: the oldest chats, messages and files go first.
 * Never persisted and never logged: it holds message text and numbers, which is fine for a local tool.
 */

export type SimStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface SimButton {
  id: string;
  title: string;
}

export interface SimListRow {
  id: string;
  title: string;
  description?: string;
}

export interface SimMessage {
  /** The wamid: Meta's for the bot's messages (made up by the sink), the simulator's for the customer's. */
  id: string;
  direction: 'in' | 'out';
  /** ISO time the simulator saw it. */
  at: string;
  /** For the bot's messages: the last status webhook the bot acknowledged. For the customer's: `read` once the bot marked it read. */
  status: SimStatus;
  kind:
    | 'text'
    | 'buttons'
    | 'list'
    | 'document'
    | 'location'
    | 'button_reply'
    | 'list_reply'
    | 'template'
    | 'audio'
    | 'image'
    | 'order'
    | 'form';
  text?: string;
  header?: string;
  footer?: string;
  buttons?: SimButton[];
  list?: { button: string; sections: Array<{ title?: string; rows: SimListRow[] }> };
  document?: { mediaId: string; filename: string; caption?: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  /** The button or row the customer tapped. */
  reply?: { id: string; title: string };
  /** The customer's reaction to this message (a bot message), shown under it as on WhatsApp. */
  reaction?: string;
}

export interface StoredMedia {
  filename: string;
  mimeType: string;
  data: Buffer;
}

interface Chat {
  messages: SimMessage[];
  /** The last inbound webhook body exactly as posted, for "deliver again". */
  lastInbound?: { wamid: string; body: string };
}

export interface SimStoreLimits {
  maxChats: number;
  maxMessagesPerChat: number;
  maxMedia: number;
  maxMediaBytes: number;
}

const DEFAULT_LIMITS: SimStoreLimits = {
  maxChats: 200,
  maxMessagesPerChat: 300,
  maxMedia: 50,
  maxMediaBytes: 50 * 1024 * 1024,
};

export class SimulatorStore {
  private readonly chats = new Map<string, Chat>();
  /** wamid → chat key, so a status or a read receipt finds its message. */
  private readonly byWamid = new Map<string, string>();
  private readonly media = new Map<string, StoredMedia>();
  private mediaBytes = 0;
  private readonly limits: SimStoreLimits;

  constructor(limits: Partial<SimStoreLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  static key(phoneNumberId: string, customer: string): string {
    return `${phoneNumberId}:${customer.replace(/^\+/, '')}`;
  }

  private chat(key: string): Chat {
    let chat = this.chats.get(key);
    if (chat) {
      // Most recently used last: Map order doubles as the eviction order.
      this.chats.delete(key);
      this.chats.set(key, chat);
      return chat;
    }
    chat = { messages: [] };
    this.chats.set(key, chat);
    while (this.chats.size > this.limits.maxChats) {
      const oldest = this.chats.keys().next().value;
      if (oldest === undefined) break;
      this.dropChat(oldest);
    }
    return chat;
  }

  private dropChat(key: string): void {
    for (const message of this.chats.get(key)?.messages ?? []) this.byWamid.delete(message.id);
    this.chats.delete(key);
  }

  add(phoneNumberId: string, customer: string, message: SimMessage): void {
    const key = SimulatorStore.key(phoneNumberId, customer);
    const chat = this.chat(key);
    chat.messages.push(message);
    this.byWamid.set(message.id, key);
    while (chat.messages.length > this.limits.maxMessagesPerChat) {
      const dropped = chat.messages.shift();
      if (dropped) this.byWamid.delete(dropped.id);
    }
  }

  messages(phoneNumberId: string, customer: string): readonly SimMessage[] {
    return this.chats.get(SimulatorStore.key(phoneNumberId, customer))?.messages ?? [];
  }

  find(wamid: string): SimMessage | undefined {
    const key = this.byWamid.get(wamid);
    return key === undefined ? undefined : this.chats.get(key)?.messages.find((m) => m.id === wamid);
  }

  /** Statuses only move forward (a late `delivered` does not undo `read`). */
  setStatus(wamid: string, status: SimStatus): void {
    const message = this.find(wamid);
    if (!message) return;
    const order: SimStatus[] = ['pending', 'sent', 'delivered', 'read'];
    if (status === 'failed' || order.indexOf(status) > order.indexOf(message.status)) message.status = status;
  }

  /** A read receipt covers the message and every earlier one from the customer (as on WhatsApp). */
  markInboundRead(wamid: string): void {
    const key = this.byWamid.get(wamid);
    const messages = key === undefined ? [] : (this.chats.get(key)?.messages ?? []);
    const index = messages.findIndex((m) => m.id === wamid);
    for (const message of messages.slice(0, index + 1)) {
      if (message.direction === 'in') message.status = 'read';
    }
  }

  /** The customer reacted to a message: the emoji shows under it (an empty one removes it, as on WhatsApp). */
  react(wamid: string, emoji: string): void {
    const message = this.find(wamid);
    if (!message) return;
    if (emoji === '') delete message.reaction;
    else message.reaction = emoji;
  }

  /** The id of the bot's latest message in this chat, which a reaction from the attach menu reacts to. */
  lastOutbound(phoneNumberId: string, customer: string): string | undefined {
    const messages = this.messages(phoneNumberId, customer);
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      const message = messages[i];
      if (message?.direction === 'out') return message.id;
    }
    return undefined;
  }

  setLastInbound(phoneNumberId: string, customer: string, wamid: string, body: string): void {
    this.chat(SimulatorStore.key(phoneNumberId, customer)).lastInbound = { wamid, body };
  }

  lastInbound(phoneNumberId: string, customer: string): { wamid: string; body: string } | undefined {
    return this.chats.get(SimulatorStore.key(phoneNumberId, customer))?.lastInbound;
  }

  putMedia(id: string, media: StoredMedia): void {
    this.media.set(id, media);
    this.mediaBytes += media.data.length;
    while (
      this.media.size > this.limits.maxMedia ||
      (this.mediaBytes > this.limits.maxMediaBytes && this.media.size > 1)
    ) {
      const oldest = this.media.keys().next().value;
      if (oldest === undefined) break;
      this.mediaBytes -= this.media.get(oldest)?.data.length ?? 0;
      this.media.delete(oldest);
    }
  }

  getMedia(id: string): StoredMedia | undefined {
    return this.media.get(id);
  }
}
