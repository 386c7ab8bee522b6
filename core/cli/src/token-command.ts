import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEV_ISSUER, devIssuerKeyFile, ingestConfigFromEnv, openDevIssuer, SCOPES } from '@poshub/ingest';
import { type Output, paint } from './output.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');

export const TOKEN_HELP = `Usage: pnpm poshub token [--store <id>]... [--scope <scope>]... [--client <id>] [--ttl <seconds>]

Mints a bearer token from the embedded development issuer (the embedded default's only issuer; a hub
configured with OIDC_ISSUER does not trust it). Prints the token alone on stdout.

  --store <id>    a store the token may post for (repeat for several; none = any store)
  --scope <s>     ${SCOPES.join(' | ')} (repeat; default pos:write)
  --client <id>   client id (default dev-client); rate limits and idempotency keys are per client
  --ttl <s>       lifetime in seconds (default 3600)`;

/** `poshub token`: returns the exit code. */
export async function tokenCommand(args: string[], out: Output): Promise<number> {
  let values: { store?: string[]; scope?: string[]; client?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        store: { type: 'string', multiple: true },
        scope: { type: 'string', multiple: true },
        client: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    out.info(`${paint(out, 'red', 'error:')} ${(error as Error).message}\n\n${TOKEN_HELP}`);
    return 2;
  }
  if (values.help) {
    out.info(TOKEN_HELP);
    return 0;
  }
  const scopes = values.scope ?? ['pos:write'];
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    out.info(
      `${paint(out, 'red', 'error:')} unknown scope ${unknown.join(', ')}; scopes: ${SCOPES.join(', ')}`,
    );
    return 2;
  }
  const ttl = Number(values.ttl ?? 3600);
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > 30 * 86400) {
    out.info(`${paint(out, 'red', 'error:')} --ttl is a whole number of seconds up to 30 days`);
    return 2;
  }
  const config = ingestConfigFromEnv(process.env, REPO);
  if (config.issuer) {
    out.info(
      `${paint(out, 'red', 'error:')} OIDC_ISSUER is set: get tokens from ${config.issuer.url}, not the development issuer`,
    );
    return 2;
  }
  const issuer = await openDevIssuer({
    keyFile: devIssuerKeyFile(config.dataDir),
    issuer: DEV_ISSUER,
    audience: config.audience,
  });
  out.data(
    await issuer.mint({
      clientId: values.client ?? 'dev-client',
      scopes,
      ...(values.store ? { stores: values.store } : {}),
      ttlSeconds: ttl,
    }),
  );
  return 0;
}
