// Writes one JSON Schema file per canonical event type into core/model/json-schema/ (checked in).
// `--check` compares instead of writing and exits 1 when a file is out of date.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderJsonSchemas } from '../src/json-schema.ts';

const dir = join(import.meta.dirname, '..', 'json-schema');
const check = process.argv.includes('--check');
const stale: string[] = [];
await mkdir(dir, { recursive: true });
for (const [file, text] of renderJsonSchemas()) {
  const path = join(dir, file);
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current === text) continue;
  if (check) stale.push(file);
  else await writeFile(path, text);
}
if (stale.length > 0) {
  console.error(`JSON Schemas out of date: ${stale.join(', ')}. Run: pnpm schemas`);
  process.exit(1);
}
console.log(check ? 'JSON Schemas are current.' : `JSON Schemas written to ${dir}`);
