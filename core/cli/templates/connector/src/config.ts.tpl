import { httpsUrl, secret, z } from '@poshub/sdk';

/** How poshub reaches {{System}}'s API: where it is, the API key (a secret) and a time limit. */
export const {{System}}Config = z.strictObject({
  /** e.g. https://api.{{system}}.example; http only to 127.0.0.1 or localhost (tests). */
  baseUrl: httpsUrl(),
  /** {{System}}'s API key: marked secret, so it never reaches a log or a start-up problem. */
  apiKey: secret(z.string().min(16, 'must be at least 16 characters')),
  /** Time limit of one request. */
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});
export type {{System}}Config = z.output<typeof {{System}}Config>;
