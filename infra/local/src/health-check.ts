// Command line for services.sh: `health-check.ts [--timeout SECONDS] NAME[:light]...` checks the named
// services in parallel, retrying each until it passes or the timeout runs out, and prints one line per
// service: `ok NAME (MS ms): detail` or `fail NAME: last error`. Exits 1 if any failed.
import { type HealthMode, healthChecks, type ServiceName } from './health-checks.ts';
import { readServiceUrls } from './service-urls.ts';

function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describe).join('; ');
  if (error instanceof Error) {
    const cause = error.cause ? ` (${describe(error.cause)})` : '';
    return `${error.message || error.name}${cause}`;
  }
  return String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)}s`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

async function checkUntil(name: ServiceName, mode: HealthMode, deadline: number): Promise<string> {
  const urls = readServiceUrls();
  const started = Date.now();
  let lastError: unknown;
  // Services that just started may refuse for a while (Kafka fences a new broker for a few seconds).
  while (Date.now() < deadline) {
    try {
      const detail = await withTimeout(
        healthChecks[name](urls, mode),
        Math.min(20_000, deadline - Date.now()),
      );
      return `ok ${name} (${Date.now() - started} ms): ${detail}`;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return `fail ${name}: ${describe(lastError ?? new Error('timed out'))}`;
}

async function main(argv: string[]): Promise<number> {
  let timeoutSeconds = 60;
  const targets: Array<[ServiceName, HealthMode]> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--timeout') {
      timeoutSeconds = Number(argv[++i]);
      continue;
    }
    const [name, mode] = arg.split(':');
    if (!(name! in healthChecks)) throw new Error(`unknown service ${name}`);
    targets.push([name as ServiceName, mode === 'light' ? 'light' : 'full']);
  }
  const deadline = Date.now() + timeoutSeconds * 1000;
  const lines = await Promise.all(targets.map(([name, mode]) => checkUntil(name, mode, deadline)));
  for (const line of lines) console.log(line);
  return lines.every((l) => l.startsWith('ok ')) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(describe(error));
    process.exit(2);
  },
);
