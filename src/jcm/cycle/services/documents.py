"""Documents (versions with a public and a confidential file, translations), public comments, meeting reports."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from jcm.accounts.core.roles import Role
from jcm.audit.services import record_event
from jcm.cycle.errors import CycleError
from jcm.cycle.models import (
    ChangeRequest,
    Document,
    DocumentVersion,
    JcMeetingReport,
    MethodologyVersion,
    MonitoringReport,
    Project,
    PublicComment,
    Translation,
    Window,
)
from jcm.cycle.services.common import acting_as
from jcm.cycle.services.relations import check_proponent, check_relation

Subject = MethodologyVersion | Project | MonitoringReport | ChangeRequest
SUBMITTERS = frozenset({Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT, Role.TPE, Role.JC_MEMBER, Role.JC_SECRETARIAT})
TPE_FORMS = {"F_Val_Rep": "validation", "F_Vrf_Rep": "verification"}


def subject_key(subject: Subject) -> dict[str, Any]:
    name = {MethodologyVersion: "methodology_version", Project: "project", MonitoringReport: "monitoring_report",
            ChangeRequest: "change_request"}[type(subject)]
    return {name: subject}


def project_of(subject: Subject) -> Project | None:
    if isinstance(subject, Project):
        return subject
    if isinstance(subject, MonitoringReport | ChangeRequest):
        return subject.project
    return None


def _digest(f: File) -> str:
    h = hashlib.sha256()
    f.seek(0)
    for chunk in f.chunks():
        h.update(chunk)
    f.seek(0)
    return h.hexdigest()


def submit_document(
    *, actor: Any, subject: Subject, form_code: str, public_file: File, now: datetime.datetime,
    confidential_file: File | None = None, translations: Mapping[str, File] | None = None, title: str = "",
    language: str = "en", note: str = "",
) -> DocumentVersion:
    """Add a version of the ``form_code`` submission of ``subject`` (a new document on first submission).

    Participants submit for their project (or proposal), the assigned TPE its reports, the JC and the
    secretariat theirs. Raises CycleError: role, project/tpe (relation), form_code, public_file."""
    if not form_code.strip():
        raise CycleError("form_code", _("must not be empty"))
    if public_file is None:
        raise CycleError("public_file", _("a public (redacted) version is required"))
    with transaction.atomic():
        project = project_of(subject)
        pair = project.pair if project else subject.methodology.pair  # type: ignore[union-attr]
        acting = acting_as(actor, pair, SUBMITTERS)
        if acting.role not in SUBMITTERS:
            raise CycleError("role", _("%(r)s does not submit cycle documents") % {"r": acting.role.value},
                             "role_not_allowed")
        if project is not None:
            check_relation(acting, project, tpe_function=TPE_FORMS.get(form_code, "validation"))
        elif (isinstance(subject, MethodologyVersion) and acting.role is not Role.JC_MEMBER
              and form_code != "F_AMR_Req"):  # anyone may request a revision; the JC files its own papers
            check_proponent(acting, subject.methodology)
        key = subject_key(subject)
        doc = Document.objects.select_for_update().filter(**key, form_code=form_code).first()
        if doc is None:
            doc = Document.objects.create(**key, form_code=form_code, title=title, created_at=now)
        number = (doc.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = DocumentVersion(document=doc, number=number, language=language, note=note, submitted_at=now,
                                  submitted_by=actor, public_sha256=_digest(public_file))
        version.public_file.save(f"{form_code}-{doc.pk}-v{number}-public-{public_file.name}", public_file,
                                 save=False)
        if confidential_file is not None:
            version.confidential_sha256 = _digest(confidential_file)
            version.confidential_file.save(f"{form_code}-{doc.pk}-v{number}-{confidential_file.name}",
                                           confidential_file, save=False)
        version.save()
        for lang, f in (translations or {}).items():
            t = Translation(version=version, language=lang, sha256=_digest(f), submitted_at=now)
            t.file.save(f"{form_code}-{doc.pk}-v{number}-{lang}-{f.name}", f, save=False)
            t.save()
        record_event(action="cycle.document.submit", target=version, at=now, actor=actor,
                     after={"form": form_code, "version": number, "subject": str(subject),
                            "public_sha256": version.public_sha256, "confidential": bool(confidential_file),
                            "translations": sorted(translations or {})})
    return version


def submit_public_comment(*, window: Window | int, author_name: str, text: str, now: datetime.datetime,
                          organisation: str = "", email: str = "") -> PublicComment:
    """Anyone may comment while a public-input window is open; comments are published (without the e-mail).

    Raises CycleError: window (not a public-input window, not open at ``now``), author_name, text."""
    if not author_name.strip():
        raise CycleError("author_name", _("give your name"))
    if not text.strip():
        raise CycleError("text", _("the comment is empty"))
    with transaction.atomic():
        w = Window.objects.select_for_update().filter(pk=window if isinstance(window, int) else window.pk).first()
        if w is None or not w.is_public_input:
            raise CycleError("window", _("no such public-input window"), "not_found")
        if w.closed_at is not None or now < w.opens_at or (w.closes_at is not None and now >= w.closes_at):
            raise CycleError("window", _("the public-input window is not open"), "wrong_state")
        c = PublicComment.objects.create(window=w, author_name=author_name.strip(), organisation=organisation.strip(),
                                         email=email.strip(), text=text.strip(), submitted_at=now)
        record_event(action="cycle.public_comment.submit", target=c, at=now, actor=None,
                     after={"window": w.pk, "author": c.author_name, "organisation": c.organisation})
    return c


def publish_meeting_report(*, actor: Any, partner_code: str, meeting: str, held_on: datetime.date, title: str,
                           now: datetime.datetime, file: File | None = None) -> JcMeetingReport:
    """The secretariat publishes a JC meeting report. Raises CycleError: role, meeting."""
    from jcm.cycle.services.methodology import _pair

    with transaction.atomic():
        pair = _pair(partner_code)
        acting = acting_as(actor, pair, {Role.JC_SECRETARIAT})
        if acting.role is not Role.JC_SECRETARIAT:
            raise CycleError("role", _("the secretariat publishes JC meeting reports"), "role_not_allowed")
        if not meeting.strip() or JcMeetingReport.objects.filter(pair=pair, meeting=meeting.strip()).exists():
            raise CycleError("meeting", _("name the meeting (once per pair)"))
        rep = JcMeetingReport(pair=pair, meeting=meeting.strip(), held_on=held_on, title=title, published_at=now)
        if file is not None:
            rep.file.save(f"jc-{pair.partner.code}-{file.name}", file, save=False)
        rep.save()
        record_event(action="cycle.jc_meeting_report.publish", target=rep, at=now, actor=actor,
                     after={"meeting": rep.meeting, "held_on": held_on})
    return rep
