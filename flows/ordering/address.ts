import { t } from '../../src/language/i18n.js';
import { DEFAULT_LANGUAGE } from '../../src/language/languages.js';
import type { Language } from '../../src/language/languages.js';

/** A delivery address as typed, or a shared location (with the name or address WhatsApp gave it). */
export interface DeliveryAddress {
  text?: string;
  latitude?: number;
  longitude?: number;
}

/** A shared location's coordinates as the customer reads them (five decimals, about a metre). */
export function coordinates(address: DeliveryAddress): { latitude: string; longitude: string } {
  return { latitude: address.latitude?.toFixed(5) ?? '', longitude: address.longitude?.toFixed(5) ?? '' };
}

/**
 * An address as the customer reads it, in `language`: the typed text, or the shared location's
 * coordinates. (The language comes second so flows/privacy's callers keep working until they pass it.)
 */
export function addressText(
  address: DeliveryAddress | undefined,
  language: Language = DEFAULT_LANGUAGE,
): string {
  if (!address) return '';
  if (address.text) return address.text;
  return t(language, 'ordering:address.location', coordinates(address));
}
