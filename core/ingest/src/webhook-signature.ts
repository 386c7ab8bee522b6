import { createHmac, timingSafeEqual } from 'node:crypto';

function equalBase64(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given.trim());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Shopify: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body with the app's secret. */
export function verifyShopifySignature(body: string, secret: string, header: string | undefined): boolean {
  return equalBase64(createHmac('sha256', secret).update(body, 'utf8').digest('base64'), header);
}

/** Square: x-square-hmacsha256-signature is the base64 HMAC-SHA256 of the notification URL + raw body. */
export function verifySquareSignature(
  body: string,
  key: string,
  url: string,
  header: string | undefined,
): boolean {
  return equalBase64(
    createHmac('sha256', key)
      .update(url + body, 'utf8')
      .digest('base64'),
    header,
  );
}
