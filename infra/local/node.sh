#!/usr/bin/env bash
# Runs a TypeScript entry point with Node 24 (native type stripping), bootstrapping Node if needed.
set -euo pipefail
POSHUB_SKIP_INSTALL="${POSHUB_SKIP_INSTALL:-0}" . "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec node --disable-warning=ExperimentalWarning "$@"
