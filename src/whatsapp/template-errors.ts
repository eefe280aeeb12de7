/**
 * Graph API errors of a template send, in words a business can act on (Meta's error-code reference,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). All of them are permanent
 * (src/whatsapp/client.ts classifies 131047 and the 132xxx range so): sending the same template again fails
 * the same way, so the outbox records the meaning and does not retry.
 */
const MEANINGS: ReadonlyMap<number, string> = new Map([
  [131047, 'more than 24 hours since the recipient last wrote: only an approved template can reach them'],
  [132000, 'the number of parameters does not match what the template expects'],
  [132001, 'the template does not exist in that language (or is not approved yet)'],
  [132005, 'the text with its parameters filled in is too long'],
  [132007, 'the template breaks WhatsApp’s format character policy'],
  [132012, 'a parameter’s format does not match what the template expects'],
  [132015, 'the template is paused by Meta because of its low quality'],
  [132016, 'the template is disabled by Meta'],
]);

/** What a template-related Graph error code means, or undefined when the code is not one of them. */
export function templateErrorMeaning(code: number | undefined): string | undefined {
  return code === undefined ? undefined : MEANINGS.get(code);
}
