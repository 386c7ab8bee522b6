#!/usr/bin/env bash
# Runs a TypeScript entry point with Node 24 (native type stripping), bootstrapping Node if needed.
set -euo pipefail
POSHUB_SKIP_INSTALL="${POSHUB_SKIP_INSTALL:-0}" . "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
# A hub (`poshub serve`) runs with a 4 MB young generation: bulk imports allocate short-lived rows fast,
# and the default semi-space let RSS reach ~340 MB for a 1M-row import (~235 MB with this, no slower;
# see pnpm bench:import).
flags=(--disable-warning=ExperimentalWarning)
if [ "${1:-}" = core/cli/src/main.ts ] && [ "${2:-}" = serve ]; then flags+=(--max-semi-space-size=4); fi
exec node "${flags[@]}" "$@"
