#!/usr/bin/env bash
# Refresh the Japanese catalogue from the sources, optionally fill it from a JSON file, and compile.
#   scripts/i18n.sh [translations.json]
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=jcm.site.settings
UV=.tools/bin/uv
$UV run python scripts/makemessages.py -l ja --keyword=N_ --no-location --ignore=.venv --ignore=.tools --ignore=tests --ignore=bench -v 0
if [ $# -gt 0 ]; then for f in "$@"; do $UV run python scripts/po_fill.py locale/ja/LC_MESSAGES/django.po "$f" | tail -n 40; done
else $UV run python scripts/po_fill.py locale/ja/LC_MESSAGES/django.po /dev/null 2>/dev/null | tail -n 40 || true; fi
$UV run python -m django compilemessages --ignore=.venv --ignore=.tools -v 0
