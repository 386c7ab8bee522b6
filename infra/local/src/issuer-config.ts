import { readFileSync } from 'node:fs';

/** An API that accepts the issuer's tokens: its resource indicator (the token audience) and its scopes. */
export interface ResourceServerConfig {
  audience: string;
  scopes: string[];
  accessTokenTtlSeconds?: number;
}

/** A machine client using the client_credentials grant, with the scopes and audiences it may ask for. */
export interface MachineClientConfig {
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Audiences the client may request; the first is used when it names none. */
  audiences: string[];
  /** Stores a till client may post for, carried as the `stores` claim; absent for back-office clients. */
  stores?: string[];
}

/** Which APIs the issuer serves tokens for and which clients may ask. */
export interface IssuerConfig {
  resourceServers: ResourceServerConfig[];
  clients: MachineClientConfig[];
}

const API = 'https://api.poshub.local';
const ERP = 'https://erp.example.test';

/**
 * The local default: the poshub API, and a stand-in vendor API that connectors call with their own
 * tokens. The secrets are for a loopback-only test issuer and protect nothing.
 */
export const defaultIssuerConfig: IssuerConfig = {
  resourceServers: [
    {
      audience: API,
      // The ingest API's scopes (core/ingest/src/auth.ts).
      scopes: ['pos:write', 'erp:batch', 'admin:read', 'admin:write'],
    },
    { audience: ERP, scopes: ['erp:write', 'erp:read'] },
  ],
  clients: [
    {
      clientId: 'pos-terminal',
      clientSecret: 'pos-terminal-secret',
      scopes: ['pos:write'],
      audiences: [API],
      stores: ['0042'],
    },
    {
      clientId: 'erp-sync',
      clientSecret: 'erp-sync-secret',
      scopes: ['erp:batch'],
      audiences: [API],
    },
    {
      clientId: 'ops-console',
      clientSecret: 'ops-console-secret',
      scopes: ['admin:read', 'admin:write'],
      audiences: [API],
    },
    {
      clientId: 'connector-erp',
      clientSecret: 'connector-erp-secret',
      scopes: ['erp:write', 'erp:read'],
      audiences: [ERP],
    },
    {
      clientId: 'poshub-test',
      clientSecret: 'poshub-test-secret',
      scopes: ['pos:write', 'erp:batch', 'admin:read', 'admin:write', 'erp:read'],
      audiences: [API, ERP],
    },
  ],
};

function check(config: IssuerConfig, source: string): IssuerConfig {
  const audiences = new Set(config.resourceServers.map((r) => r.audience));
  for (const client of config.clients) {
    for (const audience of client.audiences) {
      if (!audiences.has(audience)) {
        throw new Error(`${source}: client ${client.clientId} names unknown audience ${audience}`);
      }
    }
    if (client.audiences.length === 0)
      throw new Error(`${source}: client ${client.clientId} has no audience`);
  }
  return config;
}

/** The default config, or the JSON file named by POSHUB_OIDC_CONFIG (same shape as IssuerConfig). */
export function loadIssuerConfig(env: NodeJS.ProcessEnv = process.env): IssuerConfig {
  const file = env['POSHUB_OIDC_CONFIG'];
  if (!file) return defaultIssuerConfig;
  return check(JSON.parse(readFileSync(file, 'utf8')) as IssuerConfig, file);
}
