import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorsModuleError, loadConnectors } from './load-connectors.ts';

describe('loadConnectors', () => {
  let dir: string;
  const module = async (name: string, source: string) => {
    const file = join(dir, name);
    await writeFile(file, source);
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-connectors-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes a "targets" array, or a default export function given the environment', async () => {
    const a = await module(
      'a.mjs',
      `export const targets = [{ id: 'erp', types: ['sale.completed.v1'], handle: async () => ({ ok: true }) }];`,
    );
    expect((await loadConnectors(a, {})).map((t) => t.id)).toEqual(['erp']);
    const b = await module(
      'b.mjs',
      `export default async (env) => [{ id: env.ID, types: ['sale.completed.v1'], handle: async () => ({ ok: true }) }];`,
    );
    expect((await loadConnectors(b, { ID: 'crm' })).map((t) => t.id)).toEqual(['crm']);
  });

  it.each([
    ['no export', `export const x = 1;`, /must export "targets"/],
    ['not an object', `export const targets = [42];`, /target 0 is not an object/],
    ['no id', `export const targets = [{ types: ['a'], handle() {} }];`, /target 0: id must be a string/],
    [
      'no types',
      `export const targets = [{ id: 'x', types: [], handle() {} }];`,
      /\(x\): types must be a non-empty list/,
    ],
    ['no handle', `export const targets = [{ id: 'x', types: ['a'] }];`, /\(x\): handle is not a function/],
    [
      'a repeated id',
      `const t = { id: 'x', types: ['a'], handle() {} }; export const targets = [t, t];`,
      /target 1: id x is used twice/,
    ],
  ])('refuses %s, naming the module and the entry', async (name, source, message) => {
    const file = await module(`${name.replaceAll(' ', '-')}.mjs`, source);
    const error = await loadConnectors(file, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorsModuleError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
  });
});
