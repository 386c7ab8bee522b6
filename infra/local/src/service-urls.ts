import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** Where `pnpm services up` writes the URLs of the services it runs. */
export const serviceEnvFile: string =
  process.env['POSHUB_SERVICES_ENV'] ??
  join(
    process.env['POSHUB_DATA_DIR'] ?? join(import.meta.dirname, '..', '..', '..', '.data'),
    'services.env',
  );

/** Connection details of the local (or, through env, any other) PostgreSQL, RabbitMQ, Kafka, SQS and OIDC. */
export interface ServiceUrls {
  databaseUrl: string;
  amqpUrl: string;
  rabbitmqManagementUrl: string;
  kafkaBrokers: string[];
  sqs: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  oidc: { issuer: string; tokenEndpoint: string; jwksUri: string };
}

/**
 * The variables of the services env file with the process environment on top, so CI or a developer can
 * point any service elsewhere by exporting its variable.
 */
export function readServiceEnv(file: string = serviceEnvFile): Record<string, string> {
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...fromFile, ...process.env })) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Reads the service URLs; throws an error that says how to start the services when one is missing. */
export function readServiceUrls(file: string = serviceEnvFile): ServiceUrls {
  const env = readServiceEnv(file);
  const need = (key: string): string => {
    const value = env[key];
    if (!value) {
      throw new Error(
        `${key} is not set and ${file} ${existsSync(file) ? 'does not define it' : 'does not exist'}: ` +
          'run `pnpm services up` first (or export the variable)',
      );
    }
    return value;
  };
  return {
    databaseUrl: need('DATABASE_URL'),
    amqpUrl: need('AMQP_URL'),
    rabbitmqManagementUrl: need('RABBITMQ_MANAGEMENT_URL'),
    kafkaBrokers: need('KAFKA_BROKERS')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    sqs: {
      endpoint: need('SQS_ENDPOINT'),
      region: need('SQS_REGION'),
      accessKeyId: need('SQS_ACCESS_KEY_ID'),
      secretAccessKey: need('SQS_SECRET_ACCESS_KEY'),
    },
    oidc: {
      issuer: need('OIDC_ISSUER'),
      tokenEndpoint: need('OIDC_TOKEN_ENDPOINT'),
      jwksUri: need('OIDC_JWKS_URI'),
    },
  };
}
