#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the report code and its tests need, and nothing else.
#
#   WeasyPrint (PDF):        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
#   Fonts (PDF and charts):  fonts-dejavu-core
#   PDF -> PNG in the tests: poppler-utils (pdftoppm)
#   xlsx opens in LibreOffice (test converts it headless to PDF): libreoffice-calc-nogui
#
# Idempotent: packages already installed are skipped; when nothing is missing, apt is not touched.
# Run as root or with sudo available. Usage: scripts/system-deps.sh [--dry-run] [--pdf-only]
# (--pdf-only: just what writing a PDF report needs, for `make demo`).
set -euo pipefail

DRY_RUN=0
PDF_ONLY=0
for argument in "$@"; do
  case "$argument" in
    --dry-run) DRY_RUN=1 ;;
    --pdf-only) PDF_ONLY=1 ;;
    *) echo "system-deps: ukjent valg $argument" >&2; exit 2 ;;
  esac
done

PACKAGES=(
  libpango-1.0-0
  libpangoft2-1.0-0
  libharfbuzz-subset0
  fonts-dejavu-core
)
if [[ $PDF_ONLY -eq 0 ]]; then
  PACKAGES+=(poppler-utils)
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: apt-get finnes ikke; installer selv: ${PACKAGES[*]} libreoffice-calc" >&2
  exit 1
fi

SUDO=()
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "system-deps: må kjøres som root (eller med sudo)" >&2
    exit 1
  fi
fi

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for package in "${PACKAGES[@]}"; do
  installed "$package" || missing+=("$package")
done

# LibreOffice Calc: any flavour that provides soffice will do; prefer the headless one.
if [[ $PDF_ONLY -eq 0 ]] && ! command -v soffice >/dev/null 2>&1 \
  && ! installed libreoffice-calc-nogui && ! installed libreoffice-calc; then
  missing+=("__calc__")
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "system-deps: alt er allerede installert."
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if [[ $DRY_RUN -eq 0 ]]; then
  echo "system-deps: apt-get update"
  "${SUDO[@]}" apt-get update -qq
fi

# Resolve the LibreOffice package now that the package lists are fresh.
for i in "${!missing[@]}"; do
  if [[ "${missing[$i]}" == "__calc__" ]]; then
    calc=libreoffice-calc
    policy=$(apt-cache policy libreoffice-calc-nogui 2>/dev/null || true)
    if [[ $policy =~ Candidate:\ [0-9] ]]; then
      calc=libreoffice-calc-nogui
    fi
    missing[i]=$calc
  fi
done

echo "system-deps: installerer ${missing[*]}"
if [[ $DRY_RUN -eq 1 ]]; then
  exit 0
fi
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "system-deps: ferdig."
