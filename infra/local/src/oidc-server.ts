// The local OAuth2/OIDC issuer process started by services.sh (`node infra/local/src/oidc-server.ts`).
// Binds 127.0.0.1 only. Besides oidc-provider's endpoints it serves POST /admin/rotate-keys, which puts
// a new signing key in front (older ones stay in the JWKS) so rotation can be tested.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { loadIssuerConfig } from './issuer-config.ts';
import { createOidcIssuer } from './oidc-issuer.ts';
import { loadSigningKeys, rotateSigningKeys, type SigningJwk } from './signing-keys.ts';

const port = Number(process.env['POSHUB_OIDC_PORT'] ?? 19400);
const dataDir =
  process.env['POSHUB_OIDC_DATA'] ?? join(import.meta.dirname, '..', '..', '..', '.data', 'oidc');
const keep = Number(process.env['POSHUB_OIDC_KEEP_KEYS'] ?? 3);
const rotateEverySeconds = Number(process.env['POSHUB_OIDC_ROTATE_SECONDS'] ?? 0);
const keysFile = join(dataDir, 'signing-keys.json');
const issuer = `http://127.0.0.1:${port}`;
const config = loadIssuerConfig();

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function log(message: string): void {
  console.log(`${new Date().toISOString()} ${message}`);
}

function build(keys: SigningJwk[]): Handler {
  const provider = createOidcIssuer({ issuer, config, keys });
  provider.on('server_error', (_ctx, error) => log(`server_error ${error.stack ?? error.message}`));
  provider.on('grant.error', (_ctx, error) => log(`grant.error ${error.message}`));
  log(`signing with key ${keys[0]?.kid}; JWKS has ${keys.length} key(s)`);
  return provider.callback();
}

let handler = build(await loadSigningKeys(keysFile));

// Rebuilding the provider is how a new key reaches it: oidc-provider fixes its keystore at construction.
async function rotate(): Promise<SigningJwk[]> {
  const keys = await rotateSigningKeys(keysFile, keep);
  handler = build(keys);
  return keys;
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/admin/rotate-keys') {
    rotate().then(
      (keys) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ signingKid: keys[0]?.kid, kids: keys.map((k) => k.kid) }));
      },
      (error: unknown) => {
        log(`rotation failed: ${String(error)}`);
        res.writeHead(500).end();
      },
    );
    return;
  }
  handler(req, res);
});

if (rotateEverySeconds > 0) {
  setInterval(() => void rotate(), rotateEverySeconds * 1000).unref();
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    log(`${signal}: shutting down`);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

server.listen(port, '127.0.0.1', () => log(`OIDC issuer ${issuer} listening`));
