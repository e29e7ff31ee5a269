"""Public registry pages (no login): summaries per side, serial lookup, retirement records and their
certificates (PDF)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jcm.registry import queries
from jcm.registry.views.common import LABELS, history_rows

# The labels every registry page uses (account types and statuses, block statuses, retirement and
# Article 6 purposes, transaction kinds, first-transfer triggers, annual summary rows).
_LABELS = LABELS


def index(request: HttpRequest) -> HttpResponse:
    from jcm.registry import web_queries

    summaries = [s for r in queries.registries() if (s := queries.registry_summary(r["code"])) is not None]
    context = {
        "summaries": summaries,
        "holds_accounts": web_queries.holds_any_account(request.user),
        "managed": web_queries.managed_registries(request.user),
        **_LABELS,
    }
    return render(request, "registry/index.html", context)


def registry(request: HttpRequest, code: str) -> HttpResponse:
    summary = queries.registry_summary(code)
    if summary is None:
        raise Http404(code)
    by_type = [(_LABELS["kinds"].get(k, k), v) for k, v in sorted(summary.by_account_type.items())]
    annual = [
        {**y.__dict__, "label": _LABELS["annual_kinds"].get(y.kind, y.kind)} for y in queries.annual_summary(code)
    ]
    return render(request, "registry/registry.html", {"s": summary, "by_type": by_type, "annual": annual, **_LABELS})


def serial(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("serial", "").strip()
    found, error = None, ""
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            error = "invalid"
        else:
            found = queries.serial_lookup(int(raw))
            if found is None:
                error = "not_issued"
    history = history_rows(found.history) if found else []
    return render(
        request, "registry/serial.html", {"raw": raw, "found": found, "history": history, "error": error, **_LABELS}
    )


def retirements(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("registry") or None
    return render(
        request,
        "registry/retirements.html",
        {"retirements": queries.retirements(registry=code), "registry": code, **_LABELS},
    )


def retirement(request: HttpRequest, number: str) -> HttpResponse:
    from jcm.registry import web_queries

    cert = web_queries.certificate(number)
    if cert is None:
        raise Http404(number)
    return render(request, "registry/retirement.html", {"r": cert.retirement, "c": cert, **_LABELS})


def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """The retirement certificate (PDF): public, like the retirement record it prints."""
    from jcm.registry import web_queries
    from jcm.registry.pdf import certificate_pdf

    cert = web_queries.certificate(number)
    if cert is None:
        raise Http404(number)
    pdf = certificate_pdf(cert, context=LABELS, request=request, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="jcm-retirement-{cert.retirement.number}.pdf"'
    return response
