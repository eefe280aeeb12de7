import type { BusinessData } from '../businesses/schema.js';

/**
 * The AI switch as it really works for customers: "on" is said plainly only when an AI endpoint is configured
 * and the daily budget allows a call. The overview, the settings page and the switch's confirmation all say
 * it in these words.
 */
export function aiStatus(business: BusinessData, aiConfigured: boolean): string {
  if (!business.aiReplies) return 'Off: customers get the standard replies.';
  if (!aiConfigured) return 'On, but no AI endpoint is configured: customers get the standard replies.';
  if (business.aiDailyTokenBudget <= 0)
    return 'On, but the daily AI budget is 0: customers get the standard replies.';
  return 'On: an AI phrases the replies to customers.';
}

/**
 * The confirmation (`?msg=`, src/portal/layout.ts) after switching AI replies: plain "on" only when they
 * really are, otherwise why customers still get the standard replies.
 */
export function aiSwitchedMessage(business: BusinessData, aiConfigured: boolean): string {
  if (!business.aiReplies) return 'ai-off';
  if (!aiConfigured) return 'ai-on-no-endpoint';
  if (business.aiDailyTokenBudget <= 0) return 'ai-on-no-budget';
  return 'ai-on';
}
