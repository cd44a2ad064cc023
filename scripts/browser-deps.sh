#!/usr/bin/env bash
# Install what the browser tests (tests/web/test_browser.py) need, and nothing else:
#
#   Debian's Chromium (/usr/bin/chromium) and fonts for readable screenshots. Playwright's own
#   browser download is not used (it fetches a prebuilt binary from outside the package registries).
#   axe-core (the accessibility checker) from the npm registry, unpacked to var/axe/axe.min.js
#   (SAMARBEID_AXE_DIR moves it). Only that file and its licence are kept; no node_modules.
#
# Idempotent: nothing is fetched when both are already there. Needs root or sudo only when
# something must come from apt (Chromium, or npm where it is missing). Usage: scripts/browser-deps.sh
set -euo pipefail

AXE_VERSION="4.14.1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AXE_DIR="${SAMARBEID_AXE_DIR:-$ROOT/var/axe}"

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "browser-deps: apt-get finnes ikke; installer selv: $*" >&2
    exit 1
  fi
  local sudo=()
  if [[ "$(id -u)" != "0" ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "browser-deps: må kjøres som root (eller med sudo) for å installere $*" >&2
      exit 1
    fi
  fi
  echo "browser-deps: installerer $* fra Debian"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" \
    >/dev/null
}

# --- Chromium -------------------------------------------------------------------------------
if [[ -x /usr/bin/chromium ]]; then
  echo "browser-deps: /usr/bin/chromium finnes."
else
  apt_install chromium fonts-dejavu-core fonts-liberation
fi

# --- axe-core -------------------------------------------------------------------------------
if [[ -f "$AXE_DIR/axe.min.js" ]] && head -c 200 "$AXE_DIR/axe.min.js" | grep -q "axe v$AXE_VERSION"; then
  echo "browser-deps: axe-core $AXE_VERSION finnes i $AXE_DIR."
else
  command -v npm >/dev/null 2>&1 || apt_install npm
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "browser-deps: henter axe-core $AXE_VERSION fra npm"
  (cd "$work" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
  tar -xzf "$work"/axe-core-*.tgz -C "$work" package/axe.min.js package/LICENSE
  mkdir -p "$AXE_DIR"
  cp "$work/package/axe.min.js" "$AXE_DIR/axe.min.js"
  cp "$work/package/LICENSE" "$AXE_DIR/LICENSE"
fi
