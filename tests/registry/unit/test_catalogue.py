"""The registry's Japanese wording of ambiguous words is its own (msgctxt), never clashing with the
project catalogue's wording of the same msgid (Django would show one app's wording in the other's pages)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.utils import translation
from django.utils.translation import pgettext

ROOT = Path(__file__).resolve().parents[3]


def test_no_msgid_is_translated_differently_in_two_catalogues():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_catalogues.py")], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stdout


def test_registry_words_in_their_own_sense():
    with translation.override("ja"):
        assert pgettext("account status", "open") == "開設"
        assert pgettext("transfer", "From") == "移転元" and pgettext("transfer", "to") == "移転先"
        assert pgettext("Article 6 Party", "party") == "締約国"
        assert pgettext("registry block", "Article 6") == "6条"
