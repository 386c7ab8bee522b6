import { z } from 'zod';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a URL points at this machine (where plain http is allowed, for tests and local targets). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.has(url.hostname);
}

/**
 * A config field holding an https URL (http only for 127.0.0.1, localhost and [::1]), without
 * credentials or a fragment.
 *
 * @example
 * const Config = z.object({ baseUrl: httpsUrl() });
 */
export function httpsUrl() {
  return z.string().superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url))) {
      ctx.addIssue({ code: 'custom', message: 'must use https (http only for 127.0.0.1 or localhost)' });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not carry credentials: use a secret field' });
    }
    if (url.hash) ctx.addIssue({ code: 'custom', message: 'must not have a #fragment' });
  });
}
