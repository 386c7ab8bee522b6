import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJsonSchemas } from './json-schema.ts';

describe('checked-in JSON Schemas', () => {
  it.each(renderJsonSchemas())('%s is current (regenerate with `pnpm schemas`)', async (file, text) => {
    const current = await readFile(join(import.meta.dirname, '..', 'json-schema', file), 'utf8');
    expect(current).toBe(text);
  });
});
