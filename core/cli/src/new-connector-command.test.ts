import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorNames, renderTemplate } from './new-connector-command.ts';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..', '..');
const MAIN = join(import.meta.dirname, 'main.ts');
const BIN = join(REPO, 'node_modules', '.bin');

async function poshub(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs a tool of the repository in `cwd`, with none of this vitest run's own variables. */
async function tool(cwd: string, file: string, args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...clean, NO_COLOR: '1', ...env } });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: `${e.stdout}${e.stderr}` };
  }
}

describe('connectorNames', () => {
  it('derives the names a template uses from <role>-<system>', () => {
    expect(connectorNames('erp-big-corp')).toEqual({
      name: 'erp-big-corp',
      role: 'erp',
      system: 'big-corp',
      System: 'BigCorp',
      systemCamel: 'bigCorp',
      systemSnake: 'big_corp',
      SYSTEM: 'BIG_CORP',
      provider: 'big-corp-api',
    });
    const names = connectorNames('crm-acme');
    if ('error' in names) throw new Error(names.error);
    expect(renderTemplate('{{System}}Config {{name}} {{unknown}}', names)).toBe(
      'AcmeConfig crm-acme {{unknown}}',
    );
  });

  it.each([
    ['pos-acme', /must start with a role, one of erp, oms, crm, inventory, loyalty, webhook, other/],
    ['crm', /after "crm-" comes the system/],
    ['crm-', /after "crm-" comes the system/],
    ['crm-9lives', /after "crm-" comes the system, starting with a letter/],
    ['crm-a--b', /single hyphens/],
    ['CRM-Acme', /only lowercase letters, digits and hyphens/],
    ['crm_acme', /only lowercase letters, digits and hyphens/],
    ['crm-../../etc', /only lowercase letters, digits and hyphens/],
    [`crm-${'a'.repeat(45)}`, /at most 48/],
  ])('refuses %s', (name, message) => {
    expect(connectorNames(name)).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('pnpm poshub new connector (the real CLI process)', () => {
  it('refuses a bad name or an unknown kind with exit 2 and a clear message', async () => {
    const role = await poshub(['new', 'connector', 'pos-acme']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('error: "pos-acme" must start with a role, one of erp, oms, crm');
    expect((await poshub(['new', 'connector', 'crm-Acme'])).stderr).toContain('only lowercase letters');
    expect((await poshub(['new', 'widget', 'crm-acme'])).code).toBe(2);
    expect((await poshub(['new', 'connector'])).code).toBe(2);
  });
});

// The scaffold end to end: generated into a scratch repository root whose packages are this repository's,
// linked the way `pnpm install` links workspace packages (symlinks), so that nothing is written into the
// repository and no registry is needed. The generated package must pass its own tests, tsc and biome.
describe('a scaffolded connector', () => {
  const name = `crm-scaffold-${process.pid}`;
  let root: string;
  let dir: string;
  let created: Awaited<ReturnType<typeof poshub>>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'poshub-new-connector-'));
    await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'));
    await writeFile(join(root, 'biome.json'), await readFile(join(REPO, 'biome.json'), 'utf8'));
    await writeFile(
      join(root, 'tsconfig.json'),
      JSON.stringify({ extends: join(REPO, 'tsconfig.json'), include: ['connectors/*/src/**/*.ts'] }),
    );
    created = await poshub(['new', 'connector', name, '--dir', root]);
    dir = join(root, 'connectors', name);
    if (created.code === 0) {
      await mkdir(join(dir, 'node_modules', '@poshub'), { recursive: true });
      await symlink(join(REPO, 'core', 'sdk'), join(dir, 'node_modules', '@poshub', 'sdk'));
      await symlink(join(REPO, 'contracts'), join(dir, 'node_modules', '@poshub', 'contracts'));
    }
  }, 60_000);
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('is created with every part, and says what to do next', async () => {
    expect(created.stderr).toContain(`created connectors/${name} (@poshub/connector-${name})`);
    expect(created.code).toBe(0);
    expect((await readdir(join(dir, 'src'))).sort()).toEqual([
      'client.ts',
      'config.ts',
      'connector.test.ts',
      'connector.ts',
      'index.ts',
      'mapper.test.ts',
      'mapper.ts',
      `scaffold-${process.pid}-api.pact.test.ts`,
    ]);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: `@poshub/connector-${name}`,
      dependencies: { '@poshub/sdk': 'workspace:*' },
    });
    expect(Object.keys(pkg.dependencies)).toEqual(['@poshub/sdk']);
    expect(await readFile(join(dir, 'src', 'connector.ts'), 'utf8')).toContain(`id: '${name}'`);
    expect(created.stderr).toContain('pnpm install --offline');
    expect(created.stderr).toContain(`pnpm exec vitest run connectors/${name}`);
    expect(created.stderr).toContain('contracts/verify-vendor-pact.ts');
    const again = await poshub(['new', 'connector', name, '--dir', root]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`connectors/${name} already exists; pick another name or remove it first`);
  });

  it('passes its own tests straight away: mapper, conformance kit and Pact consumer test', async () => {
    const tests = await tool(
      root,
      process.execPath,
      [
        join(REPO, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--root',
        root,
        '--dir',
        `connectors/${name}`,
      ],
      { POSHUB_PACTS_DIR: join(root, 'contracts', 'pacts') },
    );
    expect(tests.output).toMatch(/Test Files\s+3 passed/);
    expect(tests.code).toBe(0);
    const pact = JSON.parse(
      await readFile(
        join(root, 'contracts', 'pacts', `poshub-connector-${name}-scaffold-${process.pid}-api.json`),
        'utf8',
      ),
    );
    expect(pact.interactions.map((i: { description: string }) => i.description).sort()).toEqual([
      'a return',
      'a sale',
      'a sale for an unknown store',
    ]);
    expect(pact.metadata.poshub).toEqual({
      consumer: { name: `@poshub/connector-${name}`, version: '0.1.0' },
    });
  }, 180_000);

  it('is clean for tsc (strict) and biome', async () => {
    const tsc = await tool(root, join(BIN, 'tsc'), ['-p', 'tsconfig.json']);
    expect(tsc.output).toBe('');
    expect(tsc.code).toBe(0);
    const biome = await tool(root, join(BIN, 'biome'), ['check', `connectors/${name}`]);
    expect(biome.code, biome.output).toBe(0);
  }, 120_000);

  it('left nothing in the repository', () => {
    expect(existsSync(join(REPO, 'connectors', name))).toBe(false);
    expect(
      existsSync(
        join(REPO, 'contracts', 'pacts', `poshub-connector-${name}-scaffold-${process.pid}-api.json`),
      ),
    ).toBe(false);
  });
});
