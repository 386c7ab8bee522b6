import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_VERSION } from './core-version.ts';

describe('CORE_VERSION', () => {
  it('is the version of the core packages (sdk and dispatch)', async () => {
    for (const pkg of ['sdk', 'dispatch']) {
      const { version } = JSON.parse(
        await readFile(join(import.meta.dirname, '..', '..', pkg, 'package.json'), 'utf8'),
      );
      expect(version, pkg).toBe(CORE_VERSION);
    }
  });
});
