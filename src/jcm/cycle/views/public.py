"""Public pages of the cycle (no login): projects, methodologies, JC decisions and meeting reports,
public comments during an open public-input window."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jcm.audit.core.clock import system_now
from jcm.cycle import queries, web_queries
from jcm.cycle.errors import CycleError
from jcm.cycle.forms import CommentForm, show_error
from jcm.cycle.models import Methodology, Project
from jcm.cycle.views import labels


def _label_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        r["state_label"] = labels.state(r["state"])
    return rows


def index(request: HttpRequest) -> HttpResponse:
    projects = [p for p in queries.list_projects() if p["state"] != "draft"]
    methodologies = [m for m in queries.list_methodologies() if m["state"] != "draft"]
    return render(request, "cycle/index.html", {
        "projects": _label_rows(projects), "methodologies": _label_rows(methodologies),
        "decisions": queries.list_decisions()[:10],
    })


def projects(request: HttpRequest) -> HttpResponse:
    partner = request.GET.get("pair") or None
    rows = [p for p in queries.list_projects(partner_code=partner) if p["state"] != "draft"]
    return render(request, "cycle/projects.html", {"projects": _label_rows(rows), "pair": partner})


def _comment_form_for(request: HttpRequest, window: dict[str, Any] | None) -> CommentForm | None:
    return CommentForm(prefix=f"w{window['id']}") if window else None


def project(request: HttpRequest, reference: str) -> HttpResponse:
    p = web_queries.project_by_reference(reference)
    if p is None or p.state == "draft":
        raise Http404(reference)
    if reference != p.key:
        return redirect("cycle:project", reference=p.key)
    detail = queries.project_detail(p, user=request.user, now=system_now())
    labels.label_timeline(detail["timeline"])
    for r in detail["monitoring"]:
        r["state_label"] = labels.state(r["state"])
        r["documents"] = web_queries.documents(request.user, monitoring_report_id=r["id"])
        labels.label_timeline(r["timeline"])
    window = web_queries.open_public_window(project=p)
    return render(request, "cycle/project.html", {
        "p": detail, "state_label": labels.state(detail["state"]),
        "documents": web_queries.documents(request.user, project=p),
        "window": window, "window_label": labels.window(window["key"]) if window else "",
        "comment_form": _comment_form_for(request, window),
        "credits": web_queries.credits_by_side(p), "sides": labels.SIDES,
    })


def methodologies(request: HttpRequest) -> HttpResponse:
    partner = request.GET.get("pair") or None
    rows = [m for m in queries.list_methodologies(partner_code=partner) if m["state"] != "draft"]
    return render(request, "cycle/methodologies.html", {"methodologies": _label_rows(rows), "pair": partner})


def methodology(request: HttpRequest, pm_id: str) -> HttpResponse:
    m = Methodology.objects.filter(pm_id=pm_id).first() or Methodology.objects.filter(am_id=pm_id).first()
    if m is None:
        raise Http404(pm_id)
    if m.pm_id != pm_id:
        return redirect("cycle:methodology", pm_id=m.pm_id)
    detail = queries.methodology_detail(m, user=request.user)
    versions = [v for v in detail["versions"] if v["state"] != "draft"]
    if not versions:
        raise Http404(pm_id)
    for v in versions:
        v["state_label"] = labels.state(v["state"])
        labels.label_timeline(v["timeline"])
        v["documents"] = web_queries.documents(request.user, methodology_version_id=v["id"])
        v["window"] = web_queries.open_public_window(methodology_version_id=v["id"])
        if v["window"]:
            v["window"]["label"] = labels.window(v["window"]["key"])
            v["comment_form"] = CommentForm(prefix=f"w{v['window']['id']}")
    detail["versions"] = versions
    return render(request, "cycle/methodology.html", {"m": detail})


def decisions(request: HttpRequest) -> HttpResponse:
    partner = request.GET.get("pair") or None
    rows = queries.list_decisions(partner_code=partner)
    for d in rows:
        d["mode_label"] = labels.MODES.get(d["mode"], d["mode"])
        for x in d["decided"]:
            x["action_label"] = labels.action(x["action"])
            x["to_label"] = labels.state(x["to"])
    return render(request, "cycle/decisions.html", {
        "decisions": rows, "meetings": web_queries.meeting_reports(partner), "pair": partner,
    })


def comment(request: HttpRequest, window_id: int) -> HttpResponse:
    """Anyone may comment during an open public-input window (POST); the comment is published."""
    from jcm.cycle.models import Window
    from jcm.cycle.services import submit_public_comment

    w = Window.objects.filter(pk=window_id).first()
    if w is None or not w.is_public_input:
        raise Http404(str(window_id))
    back = _public_url_of_window(w)
    if request.method != "POST":
        return redirect(back)
    form = CommentForm(request.POST, prefix=f"w{w.pk}")
    if form.is_valid():
        try:
            submit_public_comment(window=w.pk, now=system_now(), **form.cleaned_data)
        except CycleError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Thank you: your comment is published."))
            return redirect(back)
    status = 200 if request.headers.get("HX-Request") else 422
    return render(request, "cycle/comment_form.html", {"form": form, "window_id": w.pk, "back": back},
                  status=status)


def _public_url_of_window(w: Any) -> str:
    from django.urls import reverse

    if w.project_id:
        return reverse("cycle:project", kwargs={"reference": Project.objects.get(pk=w.project_id).key})
    if w.methodology_version_id:
        return reverse("cycle:methodology", kwargs={"pm_id": w.methodology_version.methodology.pm_id})
    return reverse("cycle:index")
