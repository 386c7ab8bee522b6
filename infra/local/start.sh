#!/usr/bin/env bash
# Runs poshub on its embedded default with a demo a newcomer can watch.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. infra/local/bootstrap.sh
exec node --disable-warning=ExperimentalWarning --max-semi-space-size=4 core/cli/src/main.ts serve --demo "$@"
