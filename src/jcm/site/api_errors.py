"""Bad input through the API: field-level messages in the caller's language (Accept-Language)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

# pydantic error types → a sentence a person understands, translated.
_MESSAGES = {
    "missing": lambda e: _("this field is required"),
    "int_parsing": lambda e: _("must be a whole number"),
    "int_type": lambda e: _("must be a whole number"),
    "float_parsing": lambda e: _("must be a number"),
    "decimal_parsing": lambda e: _("must be a decimal number"),
    "bool_parsing": lambda e: _("must be true or false"),
    "date_from_datetime_parsing": lambda e: _("must be a date (YYYY-MM-DD)"),
    "date_parsing": lambda e: _("must be a date (YYYY-MM-DD)"),
    "datetime_parsing": lambda e: _("must be a date and time with a UTC offset (ISO 8601)"),
    "string_too_long": lambda e: _("is too long"),
    "string_type": lambda e: _("must be text"),
    "greater_than_equal": lambda e: _("must be at least %(limit)s") % {"limit": e.get("ctx", {}).get("ge")},
    "less_than_equal": lambda e: _("must be at most %(limit)s") % {"limit": e.get("ctx", {}).get("le")},
    "greater_than": lambda e: _("must be greater than %(limit)s") % {"limit": e.get("ctx", {}).get("gt")},
    "json_invalid": lambda e: _("the request body is not valid JSON"),
}


def _field(loc: list[Any]) -> str:
    # ninja prefixes the location with where the value came from: query, path, body, form...
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "form", "header", "cookie", "payload")]
    return ".".join(parts) or "body"


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for error in errors:
        describe = _MESSAGES.get(error.get("type", ""))
        message = describe(error) if describe else str(error.get("msg", _("is not valid")))
        out.append({"field": _field(list(error.get("loc", []))), "message": message})
    return out


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = field_errors(list(exc.errors))
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return api.create_response(request, {"detail": summary, "errors": errors}, status=422)
