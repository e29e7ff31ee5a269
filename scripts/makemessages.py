"""`django-admin makemessages` that also extracts extra gettext keywords given as --keyword=NAME.

Django's makemessages has no option for extra keywords; the cycle's core marks its translatable
refusal templates with the no-op ``N_`` (it may not import Django), so the scripts pass --keyword=N_.
Every other argument goes to makemessages unchanged.

    uv run python scripts/makemessages.py -l ja --keyword=N_ --no-location
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> None:
    import django
    from django.core.management import call_command
    from django.core.management.commands.makemessages import Command

    keywords = [a for a in argv if a.startswith("--keyword=")]
    rest = [a for a in argv if not a.startswith("--keyword=")]

    class WithKeywords(Command):
        xgettext_options = [*Command.xgettext_options, *keywords]

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcm.site.settings")
    django.setup()
    call_command(WithKeywords(), *rest)


if __name__ == "__main__":
    main(sys.argv[1:])
