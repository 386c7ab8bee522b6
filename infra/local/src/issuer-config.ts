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
      scopes: ['events:write', 'events:read', 'catalog:write', 'journal:read', 'dlq:read', 'dlq:replay'],
    },
    { audience: ERP, scopes: ['erp:write', 'erp:read'] },
  ],
  clients: [
    {
      clientId: 'pos-terminal',
      clientSecret: 'pos-terminal-secret',
      scopes: ['events:write'],
      audiences: [API],
    },
    {
      clientId: 'erp-sync',
      clientSecret: 'erp-sync-secret',
      scopes: ['catalog:write', 'journal:read'],
      audiences: [API],
    },
    {
      clientId: 'ops-console',
      clientSecret: 'ops-console-secret',
      scopes: ['events:read', 'dlq:read', 'dlq:replay'],
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
      scopes: [
        'events:write',
        'events:read',
        'catalog:write',
        'journal:read',
        'dlq:read',
        'dlq:replay',
        'erp:read',
      ],
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
