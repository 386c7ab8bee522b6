import type { DocumentInput, NormalizedCandidate, NormalizeOptions, Normalizer } from '../normalizer.ts';
import { parseVendorJson } from '../vendor-json.ts';
import { mapPaymentResponse } from './map-payment-response.ts';

/** True when the head of a document is an Adyen Terminal API response (nexo `SaleToPOIResponse`). */
export function looksLikeTerminalResponse(head: string): boolean {
  return /^\s*\{/.test(head) && /"SaleToPOIResponse"\s*:/.test(head);
}

/**
 * Adyen Terminal API payment responses (`SaleToPOIResponse` with a `PaymentResponse`): one
 * `payment.recorded.v1` per response, to enrich the card tender of the till's transaction (enrich-tender.ts).
 */
export const adyenNormalizer: Normalizer = {
  format: 'adyen',
  description: 'Adyen Terminal API payment responses (SaleToPOIResponse / PaymentResponse)',
  detect: looksLikeTerminalResponse,
  async *normalize(input: DocumentInput, options: NormalizeOptions): AsyncIterable<NormalizedCandidate> {
    const parsed = parseVendorJson(await input.text());
    if (!parsed.ok) {
      yield {
        ok: false,
        problems: [
          {
            code: 'json.invalid',
            pointer: '',
            message: `not valid JSON: ${parsed.message}`,
            severity: 'error',
          },
        ],
      };
      return;
    }
    yield mapPaymentResponse(parsed.value, options);
  },
};
