import type { BusinessData } from '../businesses/schema.js';
import { escapeHtml as esc } from '../http/escape-html.js';

/** Whether the business has no staff number: its staff alerts reach the portal only. */
export const noStaffNumbers = (business: BusinessData): boolean => business.adminNumbers.length === 0;

/**
 * Said plainly on the overview and the notices page when the business has no staff number: staff alerts
 * then go nowhere but the portal, and nothing else would tell anyone. Empty when there are numbers.
 */
export function noStaffNumbersBlock(business: BusinessData): string {
  if (!noStaffNumbers(business)) return '';
  return (
    '<p class="warn" role="note" data-testid="no-staff-numbers"><strong>No staff numbers are set:</strong> ' +
    'new orders, handoffs and cancellations are shown here in the portal only, not sent to WhatsApp. ' +
    `The operator can add staff numbers in <a href="/portal/b/${esc(business.phoneNumberId)}/settings#staff">Settings</a>.</p>`
  );
}
