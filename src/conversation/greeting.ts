import type { BusinessData } from '../businesses/schema.js';
import type { InboxEntry } from '../db/models/inbox.model.js';
import type { OutboundMessage } from './types.js';

/**
 * The reply every new message gets until the conversation engine exists: one greeting, or a plain
 * "cannot read that" for message types the bot does not understand. Exactly one reply per message.
 */
export function greetingReplies(entry: InboxEntry, business: BusinessData): OutboundMessage[] {
  if (entry.event?.type === 'user.unsupported') {
    return [
      { type: 'reply.text', text: `Sorry, I can't read that kind of message yet. Please send it as text.` },
    ];
  }
  return [
    {
      type: 'reply.text',
      text: `Hi! You're chatting with *${business.name}*. Ordering in chat is coming soon; for now, a member of the team will read your message.`,
    },
  ];
}
