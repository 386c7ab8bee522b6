import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OAuth2ClientConfig } from './oauth2-config.ts';
import { REDACTED_SECRET, redactConfig, secretValues } from './redact-config.ts';
import { isSecret, secret } from './secret.ts';

const Config = z.object({
  url: z.string(),
  apiKey: secret(z.string()).describe('the API key'),
  optionalKey: secret(z.string().min(3)).optional(),
  secrets: z.array(secret(z.string())).min(1),
  nested: z.object({ password: secret(z.string()), user: z.string() }).default({ password: 'x', user: 'y' }),
  headers: z.record(z.string(), z.string()).optional(),
  oauth2: OAuth2ClientConfig.optional(),
});

const raw = {
  url: 'https://example.test',
  apiKey: 'key-0123456789',
  optionalKey: 'opt-0123456789',
  secrets: ['whsec_one-0123456789', 'whsec_two-0123456789'],
  nested: { password: 'pass-0123456789', user: 'bob' },
  headers: { 'x-tenant': 'acme' },
  oauth2: {
    issuer: 'https://issuer.test',
    clientId: 'erp',
    authMethod: 'client_secret_post',
    clientSecret: 'client-secret-0123456789',
  },
};

describe('secret() and redactConfig', () => {
  it('keeps the mark through describe() and checks, and shows in the JSON Schema', () => {
    expect(isSecret(secret(z.string()).describe('x'))).toBe(true);
    expect(isSecret(secret(z.string()).min(2))).toBe(true);
    expect(isSecret(z.string())).toBe(false);
    const schema = z.toJSONSchema(z.object({ k: secret(z.string()) })) as unknown as {
      properties: { k: Record<string, unknown> };
    };
    expect(schema.properties.k['writeOnly']).toBe(true);
  });

  it('replaces every secret value, in raw and in parsed config, and nothing else', () => {
    for (const config of [raw, Config.parse(raw)]) {
      const shown = redactConfig(Config, config);
      expect(shown).toEqual({
        ...raw,
        apiKey: REDACTED_SECRET,
        optionalKey: REDACTED_SECRET,
        secrets: [REDACTED_SECRET, REDACTED_SECRET],
        nested: { password: REDACTED_SECRET, user: 'bob' },
        oauth2: {
          ...raw.oauth2,
          clientSecret: REDACTED_SECRET,
          ...(config === raw ? {} : { timeoutMs: 10_000 }),
        },
      });
      expect(JSON.stringify(shown)).not.toMatch(/0123456789/);
    }
    expect(raw.apiKey).toBe('key-0123456789');
  });

  it('lists the secret strings, for scrubbing free text', () => {
    expect(secretValues(Config, raw).sort()).toEqual(
      [
        'client-secret-0123456789',
        'key-0123456789',
        'opt-0123456789',
        'pass-0123456789',
        'whsec_one-0123456789',
        'whsec_two-0123456789',
      ].sort(),
    );
  });
});
