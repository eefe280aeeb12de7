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

/** Form fields that hold a whole address, and the parts of one, as WhatsApp Flows forms name them. */
const WHOLE_ADDRESS = ['address', 'delivery_address', 'full_address'];
const ADDRESS_PARTS = [
  ['street', 'street_address', 'address_line1', 'address_line_1', 'line1'],
  ['number', 'house_number', 'address_line2', 'address_line_2', 'line2', 'building'],
  ['postcode', 'postal_code', 'zip', 'zip_code', 'pin_code'],
  ['city', 'town', 'locality'],
];

/**
 * The delivery address a form reply holds (a WhatsApp Flow used as an address form): its `address` field,
 * or its street and city (with the number and postcode when given) joined; undefined when it holds none
 * or one that is too short or long to be an address (the same bounds as a typed one).
 */
export function formAddress(response: Readonly<Record<string, unknown>>): string | undefined {
  const text = (key: string): string | undefined => {
    const value = response[key];
    return typeof value === 'string' && value.trim() !== '' ? value.replace(/\s+/g, ' ').trim() : undefined;
  };
  const first = (keys: readonly string[]) => keys.map(text).find((value) => value !== undefined);
  const whole = first(WHOLE_ADDRESS);
  const [street, number, postcode, city] = ADDRESS_PARTS.map(first);
  const joined =
    street !== undefined && city !== undefined
      ? [number === undefined ? street : `${street} ${number}`, postcode, city].filter(Boolean).join(', ')
      : undefined;
  const address = whole ?? joined;
  return address !== undefined && address.length >= 5 && address.length <= 300 ? address : undefined;
}
