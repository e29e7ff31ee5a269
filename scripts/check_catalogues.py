"""Fail when one msgid is translated differently in two Japanese catalogues.

Django merges the project catalogue (LOCALE_PATHS) with the apps' catalogues and the first one
wins, so a msgid translated twice shows one app's wording in another app's page.

    uv run python scripts/check_catalogues.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    seen: dict[tuple[str, str], tuple[str, Path]] = {}
    clashes = []
    for po_path in sorted([*ROOT.glob("locale/ja/LC_MESSAGES/django.po"), *ROOT.glob("src/jcm/*/locale/ja/LC_MESSAGES/django.po")]):
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
                continue
            key = (entry.msgctxt or "", entry.msgid)
            if key in seen and seen[key][0] != entry.msgstr:
                clashes.append(f"{entry.msgid!r}: {seen[key][0]!r} in {seen[key][1].relative_to(ROOT)} "
                               f"but {entry.msgstr!r} in {po_path.relative_to(ROOT)}")
            seen.setdefault(key, (entry.msgstr, po_path))
    for clash in clashes:
        print(clash)
    return 1 if clashes else 0


if __name__ == "__main__":
    sys.exit(main())
