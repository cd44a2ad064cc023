#!/usr/bin/env bash
# Update the one English catalogue (pages, API, command-line messages) and compile it.
#
# The user-facing text is written in bokmål in the source: the msgids of {% translate %},
# {% blocktranslate %}, gettext, gettext_lazy and gettext_noop. English comes from one catalogue
# for the whole project, src/samarbeid/locale/en/LC_MESSAGES/django.po (settings.LOCALE_PATHS),
# compiled to django.mo next to it. The packages without Django (core, reference, rules,
# analysis) mark their text with samarbeid.core.i18n.gettext_noop and read the same django.mo
# with Python's gettext: the findings of a file check (`--lang en`), the vocabularies, …
#
#   1. makemessages -l en: collects every msgid under src/samarbeid (html, py, txt) into the .po;
#      new ones get an empty msgstr, changed ones are marked "#, fuzzy" (a guess by msgmerge).
#   2. Translate: fill every empty msgstr, check each fuzzy entry and remove its "#, fuzzy" line.
#   3. Run this script again: compilemessages writes the .mo (fuzzy entries are left out of it).
#   4. Commit BOTH the .po and the .mo. The .mo is committed on purpose: the site, the tests and CI
#      then run without GNU gettext installed; only this script needs it.
#      tests/web/test_language.py fails while a msgid is untranslated or fuzzy, or the .mo is
#      stale; tests/core/test_i18n.py while a gettext_noop text of the Django-free code is.
#
# Templates with parameters use str.format fields by name ("{value}"): xgettext flags them
# python-brace-format and msgfmt holds the English to the same fields. A text with a "%" that is
# not a printf directive ("50 % eller") needs "# xgettext:no-python-format" on the line above.
# Installs Debian's gettext (msgfmt, xgettext, msgmerge) with apt when missing (as root, or with
# sudo; non-interactive, so it also runs in CI).
#
# Usage: scripts/messages.sh [--check]   (--check: exit 1 if anything is untranslated or fuzzy)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PO="$ROOT/src/samarbeid/locale/en/LC_MESSAGES/django.po"
CHECK=0
for argument in "$@"; do
  case "$argument" in
    --check) CHECK=1 ;;
    *) echo "messages: ukjent valg $argument" >&2; exit 2 ;;
  esac
done

if ! command -v msgfmt >/dev/null 2>&1 || ! command -v xgettext >/dev/null 2>&1 \
  || ! command -v msgmerge >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "messages: GNU gettext mangler og apt-get finnes ikke; installer gettext selv" >&2
    exit 1
  fi
  SUDO=()
  if [[ "$(id -u)" != "0" ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "messages: gettext mangler; kjør som root (eller med sudo) for å installere den" >&2
      exit 1
    fi
    SUDO=(sudo -n)  # never prompt: fail instead (CI, scripts)
  fi
  export DEBIAN_FRONTEND=noninteractive
  echo "messages: installerer gettext"
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends gettext
fi

# The samarbeid command of the project's venv (make creates .venv), else the one on PATH.
SAMARBEID="${SAMARBEID:-}"
if [[ -z "$SAMARBEID" ]]; then
  if [[ -x "$ROOT/.venv/bin/samarbeid" ]]; then
    SAMARBEID="$ROOT/.venv/bin/samarbeid"
  else
    SAMARBEID="$(command -v samarbeid || true)"
  fi
fi
if [[ -z "$SAMARBEID" ]]; then
  echo "messages: finner ikke kommandoen samarbeid (kjør make, eller sett SAMARBEID=…)" >&2
  exit 1
fi

# Django's commands look for sources and locale/ from the working directory: run them in the
# package, so tests/, benchmarks/ and scripts/ are never scanned. The database is not used, but
# keep any SQLite file where it always is, not in src/samarbeid/var/.
export SAMARBEID_VAR_DIR="${SAMARBEID_VAR_DIR:-$ROOT/var}"
IGNORE=(
  --ignore=venv --ignore=.venv --ignore='*/.venv/*' --ignore=var --ignore='var/*'
  --ignore=out --ignore=node_modules --ignore='*/node_modules/*' --ignore=build
  --ignore=dist --ignore='*.egg-info' --ignore=__pycache__ --ignore=static
  --ignore='*/static/*' --ignore=migrations --ignore='*/migrations/*' --ignore=locale
)
cd "$ROOT/src/samarbeid"
mkdir -p locale
"$SAMARBEID" manage makemessages --locale en --domain django --extension html,py,txt \
  --no-obsolete --add-location file "${IGNORE[@]}"

# Django writes a template header; give it the plural rule of English once.
sed -i 's/^"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"$/"Plural-Forms: nplurals=2; plural=(n != 1);\\n"/' "$PO"
sed -i 's/^"Language: \\n"$/"Language: en\\n"/' "$PO"

"$SAMARBEID" manage compilemessages --locale en "${IGNORE[@]}"

stats="$(LC_ALL=C msgfmt --statistics --output-file=/dev/null "$PO" 2>&1)"
echo "messages: ${PO#"$ROOT"/}: $stats"
if [[ "$stats" == *untranslated* || "$stats" == *fuzzy* ]]; then
  echo "messages: oversett de tomme og uklare (fuzzy) oppføringene, og kjør skriptet igjen" >&2
  if [[ $CHECK -eq 1 ]]; then
    exit 1
  fi
fi
