# shellcheck shell=bash
# k6 for load-tests/, built with `go install` from the Go module proxy into the cache (no process).
# The Go module cache sits in the poshub cache too; the build cache is dropped once k6 is built.

K6_VERSION=v1.8.1
K6_BIN="$POSHUB_CACHE/k6-$K6_VERSION/bin/k6"

k6_env() {
  echo "K6_BIN=$K6_BIN"
  # k6 otherwise reports usage to Grafana on every run; this machine reaches no such host.
  echo "K6_NO_USAGE_REPORT=true"
}

k6_installed() { [ -x "$K6_BIN" ]; }

k6_install() {
  k6_installed && return 0
  command -v go >/dev/null || { say "k6: no Go toolchain on PATH; k6 $K6_VERSION needs Go >= 1.25"; return 1; }
  local log
  log="$(log_file k6-build)"
  say "k6: building $K6_VERSION with go install (a few minutes the first time; log $log)"
  # GOTOOLCHAIN=local: never download a Go toolchain; CGO off as in k6's own release builds.
  if ! env GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false -modcacherw" \
    GOMODCACHE="$POSHUB_CACHE/go/mod" GOCACHE="$POSHUB_CACHE/go/build" GOBIN="$(dirname "$K6_BIN")" \
    go install "go.k6.io/k6@$K6_VERSION" >>"$log" 2>&1; then
    say "k6: go install go.k6.io/k6@$K6_VERSION failed; see $log"
    tail -n 15 "$log" >&2
    return 1
  fi
  # The build cache (~0.6 GB) only speeds up rebuilds of this same version; the binary is what we keep.
  chmod -R u+w "$POSHUB_CACHE/go/build" 2>/dev/null || true
  rm -rf "$POSHUB_CACHE/go/build"
}
