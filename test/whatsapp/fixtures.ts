import { readFileSync } from 'node:fs';

/**
 * Reads a Graph API fixture (copied from the shared reference fixtures, whose README documents the
 * fake ids: business number 112233445566778, customer Ana 12025550143 / US.13491208655300000001).
 */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

export const PHONE_NUMBER_ID = '112233445566778';
export const ANA = { waId: '12025550143' } as const;
export const ANA_BSUID = { userId: 'US.13491208655300000001' } as const;
export const PRIYA = { waId: '447700900123' } as const;
/** The wamid quoted in `send-reply-context-request.json` and read in `mark-read-request.json`. */
export const INBOUND_WAMID = 'wamid.HBgLMTIwMjU1NTAxNDMVAgASGBQzRkFLRTAwMDAwMDAwMDAwMDAwMQA=';
