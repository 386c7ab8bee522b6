import { jsonNormalizer } from '../json-normalizer.ts';
import { mapPaymentResponse } from './map-payment-response.ts';

/** True when the head of a document is an Adyen Terminal API response (nexo `SaleToPOIResponse`). */
export function looksLikeTerminalResponse(head: string): boolean {
  return /^\s*\{/.test(head) && /"SaleToPOIResponse"\s*:/.test(head);
}

/**
 * Adyen Terminal API payment responses (`SaleToPOIResponse` with a `PaymentResponse`): one
 * `payment.recorded.v1` per response, to enrich the card tender of the till's transaction (enrich-tender.ts).
 */
export const adyenNormalizer = jsonNormalizer({
  format: 'adyen',
  description: 'Adyen Terminal API payment responses (SaleToPOIResponse / PaymentResponse)',
  detect: looksLikeTerminalResponse,
  map: (root, options) => [mapPaymentResponse(root, options)],
});
