"""Files of the cycle, always through a view that checks: public versions and translations for everyone
(once the subject left its draft), confidential versions only for the assigned TPE, the JC and the
secretariat of the pair (403 otherwise)."""

from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from jcm.cycle import queries, web_queries


def _send(field: object, name: str) -> HttpResponse:
    try:
        handle = field.open("rb")  # type: ignore[attr-defined]
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(name) from exc
    return FileResponse(handle, as_attachment=False, filename=os.path.basename(name))


def _may_see_draft(request: HttpRequest, version: object) -> bool:
    return queries.can_see_confidential(request.user, version) or (
        getattr(version, "submitted_by_id", None) is not None
        and version.submitted_by_id == getattr(request.user, "pk", None))  # type: ignore[attr-defined]


def public_file(request: HttpRequest, version_id: int) -> HttpResponse:
    v = web_queries.document_version(version_id)
    if v is None:
        raise Http404(str(version_id))
    if not web_queries.is_public(v) and not _may_see_draft(request, v):
        raise Http404(str(version_id))
    return _send(v.public_file, v.public_file.name)


def confidential_file(request: HttpRequest, version_id: int) -> HttpResponse:
    v = web_queries.document_version(version_id)
    if v is None or not v.has_confidential:
        raise Http404(str(version_id))
    if not queries.can_see_confidential(request.user, v):
        raise PermissionDenied
    return _send(v.confidential_file, v.confidential_file.name)


def translation_file(request: HttpRequest, translation_id: int) -> HttpResponse:
    t = web_queries.translation(translation_id)
    if t is None:
        raise Http404(str(translation_id))
    if not web_queries.is_public(t.version) and not _may_see_draft(request, t.version):
        raise Http404(str(translation_id))
    return _send(t.file, t.file.name)


def meeting_report_file(request: HttpRequest, report_id: int) -> HttpResponse:
    r = web_queries.meeting_report(report_id)
    if r is None or not r.file:
        raise Http404(str(report_id))
    return _send(r.file, r.file.name)
