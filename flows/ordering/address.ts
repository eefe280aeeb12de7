/** A delivery address as typed, or a shared location (with the name or address WhatsApp gave it). */
export interface DeliveryAddress {
  text?: string;
  latitude?: number;
  longitude?: number;
}

/** An address as the customer reads it: the typed text, or the shared location's coordinates. */
export function addressText(address: DeliveryAddress | undefined): string {
  if (!address) return '';
  if (address.text) return address.text;
  return `the shared location (${address.latitude?.toFixed(5)}, ${address.longitude?.toFixed(5)})`;
}
