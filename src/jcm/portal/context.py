"""Template context shared by every page: navigation and the other language's URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def site_context(request: HttpRequest) -> dict[str, Any]:
    current = get_language() or settings.LANGUAGE_CODE
    alternates = [
        {"code": code, "name": name, "url": translate_url(request.get_full_path(), code), "current": code == current}
        for code, name in (("ja", "日本語"), ("en", "English"))
    ]
    return {"language_alternates": alternates}
