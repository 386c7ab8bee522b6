import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readServiceUrls } from './service-urls.ts';

const FILE_TEXT = `# comment
DATABASE_URL=postgres://u:p@127.0.0.1:54329/poshub
AMQP_URL=amqp://u:p@127.0.0.1:56729
RABBITMQ_MANAGEMENT_URL=http://u:p@127.0.0.1:15679
KAFKA_BROKERS=127.0.0.1:19092, 127.0.0.1:19094
SQS_ENDPOINT=http://127.0.0.1:19324
SQS_REGION=us-east-1
SQS_ACCESS_KEY_ID=local
SQS_SECRET_ACCESS_KEY=local
OIDC_ISSUER=http://127.0.0.1:19400
OIDC_TOKEN_ENDPOINT=http://127.0.0.1:19400/token
OIDC_JWKS_URI=http://127.0.0.1:19400/jwks
`;

function envFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'poshub-env-')), 'services.env');
  writeFileSync(file, text);
  return file;
}

describe('readServiceUrls', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads the env file that services.sh writes', () => {
    const urls = readServiceUrls(envFile(FILE_TEXT));
    expect(urls.databaseUrl).toBe('postgres://u:p@127.0.0.1:54329/poshub');
    expect(urls.kafkaBrokers).toEqual(['127.0.0.1:19092', '127.0.0.1:19094']);
    expect(urls.oidc.jwksUri).toBe('http://127.0.0.1:19400/jwks');
  });

  it('lets the process environment override the file', () => {
    vi.stubEnv('KAFKA_BROKERS', 'kafka.internal:9092');
    expect(readServiceUrls(envFile(FILE_TEXT)).kafkaBrokers).toEqual(['kafka.internal:9092']);
  });

  it('says how to start the services when a value is missing', () => {
    vi.stubEnv('DATABASE_URL', '');
    expect(() => readServiceUrls('/nonexistent/services.env')).toThrow(/pnpm services up/);
  });
});
