#!/usr/bin/env bash
# The whole test suite: bootstrap Node 24 + pnpm, install, start the services the tests need,
# type-check, lint, check generated files, run every test, then the end-to-end tests that run alone after
# the rest: the dispatch fault tests (they restart PostgreSQL and the brokers) and the showcase flow.
# Arguments go to the main vitest run and skip the end-to-end stage. Prints a closing "N passed, N failed" line.
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
reports=(.data/vitest-report.json)
if [ "$#" -eq 0 ] && [ "${POSHUB_SKIP_FAULT:-0}" != 1 ]; then
  echo "== end to end, alone: dispatch fault tests (SIGKILL the hub, restart PostgreSQL and each broker), showcase flow"
  pnpm exec vitest run --config load-tests/fault/vitest.config.ts --reporter=default --reporter=json \
    --outputFile.json=.data/vitest-fault-report.json || status=$?
  reports+=(.data/vitest-fault-report.json)
fi
if [ "${CI:-}" = true ] && [ "$#" -eq 0 ]; then
  echo "== committed pacts are the ones the consumer tests write"
  git diff --exit-code --stat -- contracts/pacts || { echo "contracts/pacts changed: commit the regenerated pacts"; status=1; }
fi
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0, skipped = 0, total = 0;
  for (const file of process.argv.slice(1)) {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
    total += r.numTotalTests;
  }
  console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (total === 0) { console.error("no test ran"); process.exit(1); }
' "${reports[@]}" || status=1
exit "$status"
