"""Fill msgstr entries of a .po file from a JSON object {msgid: msgstr}.

    uv run python scripts/po_fill.py locale/ja/LC_MESSAGES/django.po translations.json

Entries already translated are kept unless --overwrite is given; fuzzy flags are cleared for the
entries filled. Prints the msgids still untranslated.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import polib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("po", type=Path)
    parser.add_argument("translations", type=Path)
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    po = polib.pofile(str(args.po))
    table: dict[str, str] = json.loads(args.translations.read_text(encoding="utf-8"))
    for entry in po:
        fuzzy = "fuzzy" in entry.flags
        if entry.msgid in table and (args.overwrite or fuzzy or not entry.msgstr):
            entry.msgstr = table[entry.msgid]
            if fuzzy:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
    po.save()
    def translated(e: polib.POEntry) -> bool:
        if e.msgid_plural:
            return all(e.msgstr_plural.values()) and bool(e.msgstr_plural)
        return bool(e.msgstr)

    missing = [e.msgid for e in po if (not translated(e) or "fuzzy" in e.flags) and not e.obsolete]
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    print(f"{len(missing)} untranslated of {len([e for e in po if not e.obsolete])}")


if __name__ == "__main__":
    main()
