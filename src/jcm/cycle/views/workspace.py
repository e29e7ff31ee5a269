"""The cycle workspace (signed-in): what awaits me, one object's page with the actions my roles may
take on it, and document uploads. The project's own submissions (TPE, MoC, allocation, attestation,
monitoring report) and new proposals/projects are in :mod:`.project_steps`, further ones in
:mod:`.submissions`. Every form works as a plain POST; htmx (hx-boost) only spares the page reload.

Views translate: they check the shape of the input and call one service; the services decide and
refuse with a reason, which is shown on the field it names. Nothing is half-written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jcm.accounts.core.roles import Role
from jcm.audit.core.clock import system_now
from jcm.cycle import queries, web_queries
from jcm.cycle.errors import CycleError
from jcm.cycle.forms import (
    ActionForm,
    AllocationForm,
    ChangeRequestForm,
    DocumentForm,
    ExplainHitForm,
    MocForm,
    MonitoringReportForm,
    ProjectEditForm,
    TpeForm,
    show_error,
)
from jcm.cycle.messages import render as render_reason
from jcm.cycle.views import labels

PROPONENT_ROLES = {Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT, Role.JC_MEMBER}
PARTICIPANT_ROLES = {Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT}
KINDS = tuple(web_queries.MODEL_OF_KIND)
LIVE_STATES = ("registered", "crediting_ended")
PRE_REGISTRATION_STATES = ("draft", "pin_submitted", "pin_no_objection", "pin_objection", "pdd_draft",
                           "pdd_public_input", "validation", "negative_validation", "validated")


def _status(request: HttpRequest, failed: bool) -> int:
    """422 for a refused or invalid submission; htmx swaps only 2xx answers, so 200 for it."""
    if not failed:
        return 200
    return 200 if request.headers.get("HX-Request") else 422


def _item_view(item: queries.AwaitingItem, now: Any) -> dict[str, Any]:
    return {
        "kind": item.kind, "kind_label": labels.KINDS.get(item.kind, item.kind), "id": item.id, "label": item.label,
        "title": item.title, "partner_code": item.partner_code, "state": item.state,
        "state_label": labels.state(item.state), "role": item.role, "role_label": labels.role(item.role),
        "due": item.due, "overdue": item.overdue,
        "url": reverse("cycle:work", kwargs={"kind": item.kind, "pk": item.id}),
        "actions": [{"action": o.action, "label": labels.action(o.action), "allowed": o.allowed, "reason": o.reason}
                    for o in item.actions],
    }


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    now = system_now()
    pair = request.GET.get("pair") or ""
    items = [_item_view(i, now) for i in queries.awaiting(request.user, now=now)]
    pairs = sorted({i["partner_code"] for i in items})
    if pair:
        items = [i for i in items if i["partner_code"] == pair]
    context = {
        "items": items, "pairs": pairs, "pair": pair,
        "may_propose": bool(web_queries.pairs_where(request.user, PROPONENT_ROLES)),
        "may_start_project": bool(web_queries.pairs_where(request.user, PARTICIPANT_ROLES)),
        "may_record": bool(web_queries.pairs_where(request.user, {Role.JC_SECRETARIAT})),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "awaiting":
        return render(request, "cycle/_awaiting.html", context)
    return render(request, "cycle/workspace.html", context)


def _object(kind: str, pk: int) -> Any:
    if kind not in KINDS:
        raise Http404(kind)
    obj = web_queries.get_object(kind, pk)
    if obj is None:
        raise Http404(f"{kind} {pk}")
    return obj


def _work_context(request: HttpRequest, kind: str, obj: Any, *, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the object page shows; ``bound`` replaces a form by the one that failed."""
    from jcm.cycle.services.common import rule_set_of

    now = system_now()
    bound = bound or {}
    pair = web_queries.pair_of(kind, obj)
    rule_set = rule_set_of(pair, now)
    offers = web_queries.offers_on(request.user, kind, obj, now=now)
    action_forms = []
    for item in offers:
        for o in item.actions:
            spec = web_queries.action_spec(kind, o.action)
            key = (item.role, o.action)
            form = bound.get(f"action:{item.role}:{o.action}") or ActionForm(
                spec=spec, initial={"action": o.action, "role": item.role}, prefix=f"{item.role}-{o.action}")
            action_forms.append({
                "key": key, "action": o.action, "label": labels.action(o.action), "role": item.role,
                "role_label": labels.role(item.role), "allowed": o.allowed, "reason": o.reason, "form": form,
                "forms_required": web_queries.step_forms(kind, o.action, rule_set),
            })
    project = web_queries.project_of(kind, obj)
    roles_here = {Role(i.role) for i in offers}
    held = {Role(r) for r in _roles_in_pair(request.user, pair)}
    is_participant = bool(held & PARTICIPANT_ROLES)
    context: dict[str, Any] = {
        "kind": kind, "kind_label": labels.KINDS[kind], "obj": obj, "pair": pair.partner.code,
        "state_label": labels.state(obj.state), "rule_set": rule_set.id, "action_forms": action_forms,
        "documents": web_queries.documents_of(kind, obj, request.user),
        "may_submit_documents": bool(held & {Role.PROJECT_PARTICIPANT, Role.FOCAL_POINT, Role.TPE, Role.JC_MEMBER,
                                             Role.JC_SECRETARIAT}),
        "document_form": bound.get("document") or DocumentForm(codes=web_queries.form_codes(kind, obj, now),
                                                              prefix="doc"),
        "is_participant": is_participant, "roles_here": roles_here,
    }
    if kind == "project":
        detail = queries.project_detail(obj, user=request.user, now=system_now())
        labels.label_timeline(detail["timeline"])
        orgs = web_queries.organisations()
        context |= {
            "p": detail,
            "reports": [web_queries.report_summary(r) | {"state_label": labels.state(r.state)}
                        for r in obj.monitoring_reports.order_by("number")],
            "tpe_form": bound.get("tpe") or TpeForm(tpes=web_queries.tpes(), prefix="tpe"),
            "moc_form": bound.get("moc") or MocForm(orgs=orgs, prefix="moc",
                                                    initial={"focal_point": obj.focal_point_id}),
            "allocation_form": bound.get("allocation") or AllocationForm(prefix="alloc"),
            "report_form": bound.get("report") or MonitoringReportForm(prefix="mr"),
            "hit_forms": [_hit_form(n, h) for n, h in enumerate(detail["double_registration"]["hits"])],
            "hits": detail["double_registration"]["hits"],
            "allocation": _allocation(obj),
            "registered": obj.state in LIVE_STATES,
            "before_registration": obj.state in PRE_REGISTRATION_STATES,
            "change_request_form": bound.get("change_request") or ChangeRequestForm(prefix="cr"),
            "edit_form": bound.get("edit") or ProjectEditForm(prefix="edit", initial=ProjectEditForm.initial_for(obj)),
            "change_requests": [{"id": c["id"], "label": f"CR{c['number']:02d}", "kind": labels.change_kind(c["kind"]),
                                 "state_label": labels.state(c["state"])} for c in detail["change_requests"]],
        }
    elif kind == "monitoring_report":
        context["report"] = web_queries.report_summary(obj)
        context["timeline"] = labels.label_timeline(queries.timeline(monitoring_report=obj))
    elif kind == "methodology":
        detail = queries.methodology_detail(obj.methodology, user=request.user)
        version = next(v for v in detail["versions"] if v["id"] == obj.pk)
        context["m"] = detail
        context["timeline"] = labels.label_timeline(version["timeline"])
        context["versions"] = [v | {"state_label": labels.state(v["state"])}
                               for v in web_queries.methodology_versions(obj.methodology)]
    elif kind == "change_request":
        context["timeline"] = labels.label_timeline(queries.timeline(change_request=obj))
        context["change"] = {"kind": obj.kind, "kind_label": labels.change_kind(obj.kind),
                             "description": obj.description, "new_crediting_start": obj.new_crediting_start,
                             "new_crediting_end": obj.new_crediting_end,
                             "mocs": list(obj.mocs.order_by("number").values("number", "in_force", "filed_at"))}
        if obj.kind == "moc_change" and is_participant and obj.state in ("draft", "returned"):
            context["moc_form"] = bound.get("moc") or MocForm(orgs=web_queries.organisations(), prefix="moc",
                                                              initial={"focal_point": obj.project.focal_point_id})
    context["project"] = project
    return context


def _hit_form(n: int, hit: dict[str, Any]) -> ExplainHitForm:
    form = ExplainHitForm(prefix=f"hit{n}", initial={"other": hit["other"], "kind": hit["kind"],
                                                     "finding": hit["finding"]})
    form.finding_text = render_reason(hit["finding"])  # type: ignore[attr-defined]  # the core's Message, translated
    return form


def _allocation(p: Any) -> list[dict[str, Any]]:
    alloc = p.allocations.order_by("-number").first()
    if alloc is None:
        return []
    return [{"organisation": s.organisation.name, "side": s.side, "side_label": labels.SIDES.get(s.side, s.side),
             "percent": s.basis_points / 100, "account": s.account_number}
            for s in alloc.shares.select_related("organisation").order_by("position")]


def _roles_in_pair(user: Any, pair: Any) -> list[str]:
    from jcm.cycle.services.common import memberships_in

    return [m.role for m in memberships_in(user, pair)]


@login_required
def work(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _object(kind, pk)
    context = _work_context(request, kind, obj)
    if not context["action_forms"] and not _roles_in_pair(request.user, web_queries.pair_of(kind, obj)):
        raise Http404(f"{kind} {pk}")
    return render(request, "cycle/work.html", context)


def _failed(request: HttpRequest, kind: str, obj: Any, bound: dict[str, Any]) -> HttpResponse:
    return render(request, "cycle/work.html", _work_context(request, kind, obj, bound=bound),
                  status=_status(request, True))


def _done(request: HttpRequest, kind: str, obj: Any, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("cycle:work", kind=kind, pk=obj.pk)


@login_required
@require_POST
def act(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Take one step of the object's state machine in one of the user's roles."""
    obj = _object(kind, pk)
    action, role = request.POST.get("action", ""), request.POST.get("role", "")
    machine = web_queries.MACHINE_OF_KIND[kind]
    if action not in machine.actions:
        raise Http404(action)
    spec = web_queries.action_spec(kind, action)
    prefix = f"{role}-{action}"
    data = request.POST.copy()
    for name in ("action", "role"):  # the generic fields may come without the prefix (API-like posts)
        data.setdefault(f"{prefix}-{name}", data.get(name, ""))
    form = ActionForm(data, spec=spec, prefix=prefix)
    if not form.is_valid():
        return _failed(request, kind, obj, {f"action:{role}:{action}": form})
    try:
        result = take_action(user=request.user, kind=kind, obj=obj, spec=spec, role=role, data=form.cleaned_data)
    except CycleError as exc:
        show_error(form, exc, {"decision": "decision_number", "quantities": "total"})
        messages.error(request, _("Refused: %(reason)s") % {"reason": exc.reason})
        return _failed(request, kind, obj, {f"action:{role}:{action}": form})
    if kind == "methodology" and action == "request_revision" and getattr(result, "pk", obj.pk) != obj.pk:
        return _done(request, kind, result, _("Revision requested: %(v)s is the new version, in draft.")
                     % {"v": result})
    return _done(request, kind, obj, _("Done: %(action)s.") % {"action": labels.action(action)})


def take_action(*, user: Any, kind: str, obj: Any, spec: web_queries.ActionSpec, role: str,
                data: dict[str, Any]) -> Any:
    """Call the one service that takes this step (shared by the pages, the API and the CLI)."""
    from jcm.cycle import services

    now = system_now()
    decision = None
    if spec.decision:
        decision = services.DecisionInput(number=data.get("decision_number") or "",
                                          decided_on=data["decision_date"], mode=data.get("decision_mode") or
                                          "electronic", title=data.get("decision_title") or "")
    reason = data.get("reason") or ""
    common = {"actor": user, "action": spec.action, "now": now, "reason": reason, "decision": decision,
              "role": role or None}
    if kind == "methodology":
        return services.act_on_methodology(version=obj.pk, mrv_methodology_id=data.get("mrv_methodology_id") or None,
                                           **common)
    if kind == "project":
        return services.act_on_project(project=obj.pk, **common)
    if kind == "change_request":
        return services.act_on_change_request(change_request=obj.pk, **common)
    if spec.action in web_queries.REGISTRY_ACTIONS:
        return _issue_side(user=user, report=obj, action=spec.action, now=now)
    findings = data.get("findings") or ""
    if isinstance(findings, str):
        findings = [line.strip() for line in findings.splitlines() if line.strip()]
    return services.act_on_report(report=obj.pk, verified=data.get("verified"), findings=findings,
                                  requested=data.get("requested"), total=data.get("total"), **common)


def _issue_side(*, user: Any, report: Any, action: str, now: Any) -> Any:
    """A registry manager has their registry issue its side of the JC's notification."""
    from jcm.cycle.services import execute_notification

    offered = {o.action for i in web_queries.offers_on(user, "monitoring_report", report, now=now)
               for o in i.actions}
    if action not in offered:
        raise CycleError("role", _("only the registry manager of that side may do this"), "role_not_allowed")
    side = web_queries.REGISTRY_ACTIONS[action]
    n = web_queries.notification_for(report, side)
    if n is None:
        raise CycleError("notification", _("no pending JC notification for this side"), "wrong_state")
    result = execute_notification(notification=n.pk, now=now, actor=user)
    if result.status == "failed":
        raise CycleError("registry", result.error, "registry")
    return result


@login_required
@require_POST
def upload(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    from jcm.cycle.services import submit_document

    obj = _object(kind, pk)
    form = DocumentForm(request.POST, request.FILES, codes=web_queries.form_codes(kind, obj, system_now()),
                        prefix="doc")
    if form.is_valid():
        d = form.cleaned_data
        translations = {d["translation_language"]: d["translation_file"]} if d.get("translation_file") else None
        try:
            v = submit_document(actor=request.user, subject=obj, form_code=d["form_code"],
                                public_file=d["public_file"], confidential_file=d.get("confidential_file"),
                                translations=translations, title=d.get("title") or "",
                                language=d.get("language") or "en", note=d.get("note") or "", now=system_now())
        except CycleError as exc:
            show_error(form, exc)
        else:
            return _done(request, kind, obj, _("Submitted: %(form)s version %(n)s.") % {
                "form": d["form_code"], "n": v.number})
    return _failed(request, kind, obj, {"document": form})
