# shellcheck shell=bash
# The OAuth2/OIDC issuer for tests and the demo: infra/local/src/oidc-server.ts (oidc-provider on
# Node 24). Signing keys persist in .data/oidc so tokens stay verifiable across restarts.

OIDC_PORT="${POSHUB_OIDC_PORT:-19400}"
OIDC_DIR="$POSHUB_DATA/oidc"

oidc_packages() { :; }

oidc_url() { printf 'http://127.0.0.1:%s' "$OIDC_PORT"; }

oidc_env() {
  echo "OIDC_ISSUER=$(oidc_url)"
  echo "OIDC_TOKEN_ENDPOINT=$(oidc_url)/token"
  echo "OIDC_JWKS_URI=$(oidc_url)/jwks"
}

oidc_port() { echo "$OIDC_PORT"; }

oidc_start() {
  require_free_port oidc "$OIDC_PORT" POSHUB_OIDC_PORT || return 1
  mkdir -p "$OIDC_DIR"
  (
    export POSHUB_OIDC_PORT="$OIDC_PORT" POSHUB_OIDC_DATA="$OIDC_DIR"
    cd "$POSHUB_REPO" || exit 1
    start_detached oidc "$(command -v node)" --disable-warning=ExperimentalWarning infra/local/src/oidc-server.ts
  )
}

oidc_stop() { stop_recorded oidc TERM 15; }
