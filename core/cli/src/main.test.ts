import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, 'main.ts');
const FIXTURES = join(import.meta.dirname, '..', '..', 'normalizers', 'fixtures');

async function poshub(args: string[], stdin?: string) {
  const child = run(process.execPath, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  if (stdin !== undefined) {
    child.child.stdin?.end(stdin);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('poshub normalize (the real CLI process)', () => {
  it('prints canonical events as a JSON array and a summary, exit 0', async () => {
    const r = await poshub(['normalize', join(FIXTURES, 'canonical', 'sale-two-lines.json')]);
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('sale.completed.v1');
    expect(r.stderr).toContain('✔ canonical: sale-two-lines.json: 1 event(s) (1 sale.completed.v1)');
  });

  it('reads stdin with -, and writes NDJSON on request', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8');
    const r = await poshub(['normalize', '-', '--ndjson', '--quiet'], doc);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['sale.completed.v1']);
    expect(r.stderr).toBe('');
  });

  it('lists every problem with code, pointer and message, exit 1, and prints no event', async () => {
    const doc = JSON.parse(
      await (await import('node:fs/promises')).readFile(
        join(FIXTURES, 'canonical', 'sale-two-lines.json'),
        'utf8',
      ),
    );
    doc.data.lines[1].quantity = '-0.42';
    doc.data.tenders[1].change.minor = 100;
    const file = join(tmpdir(), `poshub-cli-${process.pid}.json`);
    await writeFile(file, JSON.stringify(doc));
    const r = await poshub(['normalize', file]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(/✖ canonical: poshub-cli-\d+\.json: refused, 2 problem\(s\)/);
    expect(r.stderr).toMatch(
      /sign\.quantity\s+\/data\/lines\/1\/quantity\s+a sale line must have a positive quantity/,
    );
    expect(r.stderr).toMatch(/tenders\.unbalanced\s+\/data\/tenders\s+tenders less change come to/);
  });

  it('says which formats exist when it cannot tell, and refuses usage errors with exit 2', async () => {
    const unknown = await poshub(['normalize', '-'], '{"hello":1}');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('format.unknown');
    expect((await poshub(['normalize'])).code).toBe(2);
    expect((await poshub(['normalize', 'x.json', '--format', 'nope'])).stderr).toContain(
      'unknown format "nope"',
    );
    const missing = await poshub(['normalize', '/nonexistent/file.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/file.json: ENOENT');
    expect((await poshub(['frobnicate'])).code).toBe(2);
  });
});

describe('poshub normalize on POSLog', () => {
  it('streams a POSLog document from stdin and detects its format', async () => {
    const { readFile } = await import('node:fs/promises');
    const xml = await readFile(join(FIXTURES, 'poslog', 'small-sale-loyalty.xml'), 'utf8');
    const r = await poshub(['normalize', '-', '--summary'], xml);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/control\.recorded\.v1\s+store 9 ws 34 seq 160: sign_on/);
    expect(r.stdout).toMatch(/sale\.completed\.v1\s+store 9 ws 34 day 2017-09-30 seq 161: .*total 1\.07 USD/);
    expect(r.stderr).toContain('✔ poslog: stdin: 2 event(s)');
  });
});

describe('poshub normalize on a parked Lightspeed sale', () => {
  it('skips it with a warning and exits 0: nothing to send, nothing wrong', async () => {
    const r = await poshub([
      'normalize',
      join(FIXTURES, 'lightspeed-x', 'return-parked.json'),
      '--currency',
      'USD',
      '--time-zone',
      'America/Chicago',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toContain('0 event(s), 1 part(s) skipped');
    expect(r.stderr).toContain('lightspeed-x.parked');
  });
});

describe('poshub token and serve (the embedded default)', () => {
  it('mints a development token, and the embedded server accepts it', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const dataDir = await mkdtemp(join(tmpdir(), 'poshub-serve-'));
    const env = { ...process.env, NO_COLOR: '1', POSHUB_DATA_DIR: dataDir, POSHUB_PORT: '18181' };
    const token = await run(process.execPath, [MAIN, 'token', '--store', '0042', '--scope', 'pos:write'], {
      env,
    });
    const [, payload] = token.stdout.trim().split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      scope: 'pos:write',
      stores: ['0042'],
    });
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [MAIN, 'serve'], { env: { ...env, POSHUB_LOG_LEVEL: 'silent' } });
    let banner = '';
    child.stderr.on('data', (d: Buffer) => {
      banner += d.toString();
    });
    try {
      for (let i = 0; i < 600 && !banner.includes('Serving until'); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(banner).toContain('poshub ingest API on http://127.0.0.1:18181 (embedded PGlite');
      expect(banner).toContain('dispatch  embedded PostgreSQL queue, 0 connector(s)');
      const { readFile } = await import('node:fs/promises');
      const res = await fetch('http://127.0.0.1:18181/v1/transactions', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token.stdout.trim()}`,
          'content-type': 'application/json',
          'idempotency-key': 'cli-1',
        },
        body: await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8'),
      });
      expect(res.status).toBe(201);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await poshub(['token', '--scope', 'root'])).code).toBe(2);
  }, 90_000);
});

describe('poshub serve refuses a configuration that cannot work', () => {
  it.each([
    [{ POSHUB_TRANSPORT: 'kafka' }, 'cannot start: POSHUB_TRANSPORT=kafka needs KAFKA_BROKERS'],
    [{ POSHUB_TRANSPORT: 'zeromq' }, 'cannot start: POSHUB_TRANSPORT="zeromq" is not a transport'],
    [
      { POSHUB_CONNECTORS: '/nonexistent/connectors.ts' },
      'cannot start: cannot load connectors from /nonexistent/connectors.ts',
    ],
  ])('%o', async (extra, message) => {
    const failed = await run(process.execPath, [MAIN, 'serve', '--port', '0'], {
      env: { ...process.env, NO_COLOR: '1', POSHUB_DATA_DIR: tmpdir(), ...extra },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(message);
  });
});
