#!/usr/bin/env bash
# The whole test suite: bootstrap Node 24 + pnpm, install, start the services the tests need,
# type-check, lint, check generated files, run every test. Prints a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. infra/local/bootstrap.sh

mkdir -p .data
if [ -x infra/local/services.sh ] && [ "${POSHUB_SKIP_SERVICES:-0}" != 1 ]; then
  bash infra/local/services.sh up
fi

echo "== typecheck (tsc)"
pnpm exec tsc -p tsconfig.json
echo "== lint and format (biome)"
pnpm exec biome check .
echo "== generated JSON Schemas are current"
node core/model/scripts/generate-json-schemas.ts --check

echo "== tests (vitest)"
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.data/vitest-report.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(".data/vitest-report.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
' || status=1
exit "$status"
