"""/api/v1/registry: public reads (summaries, serial lookup, retirements, journal export) and
authenticated writes (registry managers for their registry; holders for their own accounts).

Every write needs an ``Idempotency-Key`` header: a replay with the same body returns the original
result; with a different body it is refused (409).

Refusals name the field and the reason (``RefusalOut``)::

    {"detail": "<code>: <reason>", "code": "<code>", "field": "<field>",
     "errors": [{"field": "<field>", "message": "<reason>"}]}

``detail`` is what it always was; ``field`` is the body field (or ``Idempotency-Key``, or the path
parameter) the refusal is about, as the CLI's ``error: <field>: <reason>`` and the forms do; the
reason is in the request's language (Accept-Language). Statuses: 403 (not your account or registry),
404 (unknown), 409 (refused by the ledger's state), 422 (malformed).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status

from jcm.accounts.api_auth import token_or_session
from jcm.audit.core.clock import system_now
from jcm.registry import queries, services
from jcm.registry.core import errors
from jcm.registry.core.checks import refusal_field
from jcm.registry.core.serials import SerialRange
from jcm.registry.messages import render
from jcm.registry.models import Account, Registry
from jcm.registry.permissions import manages, may_move_from, may_see_account

router = Router(tags=["registry"])

_STATUS = {
    errors.UnknownObject: 404,
    errors.IdempotencyConflict: 409,
    errors.InsufficientHoldings: 409,
    errors.SerialsNotHeld: 409,
    errors.AccountNotOpen: 409,
    errors.UnauthorisedInternationalTransfer: 409,
    errors.Article6Error: 409,
    errors.SerialConflict: 409,
    errors.NotificationConsumed: 409,
    errors.NotificationMismatch: 409,
}


class Refused(Exception):
    """A refusal on its way out as ``RefusalOut`` (see :func:`answers`)."""

    def __init__(self, status: int, code: str, field: str, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.code, self.field, self.reason = status, code, field, reason
        self.detail = detail if detail is not None else f"{field}: {reason}"

    def body(self) -> dict[str, Any]:
        return {
            "detail": self.detail,
            "code": self.code,
            "field": self.field,
            "errors": [{"field": self.field, "message": self.reason}],
        }


# A value named in the message: checked in this order (the destination before the source, which the
# caller chose and is rarely what is wrong).
_MATCH_ORDER = ("to_account", "to_registry", "account", "notification", "from_account", "registry", "reference")


def _named(message: str, given: dict[str, Any]) -> str:
    names = [n for n in _MATCH_ORDER if n in given] + [n for n in given if n not in _MATCH_ORDER]
    for name in names:
        value = given[name]
        if isinstance(value, str) and value and re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", message):
            return name
    first = message.split(" ", 1)[0]
    return first if first in given else ""


def api_field(exc: errors.LedgerError, given: dict[str, Any]) -> str:
    """The request field ``exc`` is about: the core's field (``core.checks.refusal_field``) in the
    API's spelling, else the field whose value the message names; ``body`` if nothing fits."""
    field = refusal_field(exc)
    if field == "idempotency_key":
        return "Idempotency-Key"
    if field in ("ranges", "quantity"):  # serials were given one way or the other: that is the field
        other = "quantity" if field == "ranges" else "ranges"
        if given.get(field) is None and given.get(other) is not None:
            return other
    if field == "allocation" and "notification" in given:  # the allocation comes with the notification
        return "notification"
    if field and field in given:
        return field
    return _named(str(exc.message), given) or field or "body"


def _fail(exc: errors.LedgerError, given: dict[str, Any] | None = None) -> Refused:
    status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 422)
    reason = render(exc.message)
    return Refused(status, exc.code, api_field(exc, given or {}), reason, f"{exc.code}: {reason}")


def answers[F: Callable[..., Any]](view: F) -> F:
    """Turn a :class:`Refused` raised while handling the request into its ``RefusalOut`` response."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except Refused as refused:
            return Status(refused.status, refused.body())

    return wrapper  # type: ignore[return-value]


# -- schemas ---------------------------------------------------------------------------------------
class RefusalOut(Schema):
    detail: str
    code: str
    field: str
    errors: list[dict[str, str]]


ERRORS: dict[int, Any] = {403: RefusalOut, 404: RefusalOut, 409: RefusalOut, 422: RefusalOut}


class AdjustmentOut(Schema):
    party: str = Field(description="the Party that applied the corresponding adjustment")
    year: int | None = Field(description="the year it applies to")
    recorded_on: str = Field(description="when it was recorded here (YYYY-MM-DD; empty if not kept)")


class BlockOut(Schema):
    identifier: str = Field(description="unique identifier: approach-registry-party-project-vintage-first-last")
    start: int
    end: int
    quantity: int
    vintage: int
    project: str
    monitoring_period: str
    issuance: str
    status: Literal["held", "cancelled", "retired", "exported"]
    account: str | None
    registry: str = Field(description="originating registry")
    authorised: bool
    purposes: list[str] = Field(description="authorised for: ndc, oimp, other")
    authorisation_id: str
    authorisation_date: str = Field(description="the Party's authorisation date (YYYY-MM-DD)")
    first_transfer_trigger: str = Field(description="what counts as first transfer: international_transfer, "
                                        "authorisation or use (empty if not authorised)")
    first_transferred: bool
    first_transfer_date: str
    adjustments: list[AdjustmentOut]


class StepOut(Schema):
    """One journal entry that touched the serial: a movement or an Article 6 action."""

    sequence: int = Field(description="the journal entry (steps are in this order)")
    kind: Literal[
        "issuance",
        "transfer",
        "international_transfer",
        "cancellation",
        "retirement",
        "authorisation",
        "corresponding_adjustment",
    ]
    label: str = Field(description="the kind in the request's language")
    details: str = Field(description="what the step did beyond moving the serial (the authorisation, the "
                         "adjustment, the first transfer), in the request's language; empty for a plain movement")
    occurred_at: str
    start: int = Field(description="first serial of the movement's piece, or of the action's range, holding it")
    end: int
    from_account: str | None
    to_account: str | None
    to_registry: str | None
    first_transfer: bool = Field(description="this step was the serial's Article 6 first transfer")
    authorisation_id: str = Field(description="authorisation: its id (else empty)")
    date: str = Field(description="authorisation: the Party's date; corresponding_adjustment: the date it was "
                      "recorded (YYYY-MM-DD; else, or if not kept, empty)")
    purposes: list[str] = Field(description="authorisation: authorised for ndc, oimp, other (else empty)")
    first_transfer_trigger: str = Field(description="authorisation: what counts as first transfer (else empty)")
    party: str = Field(description="corresponding_adjustment: the adjusting Party (else empty)")
    year: int | None = Field(description="corresponding_adjustment: the year it applies to (else null)")


class SerialOut(Schema):
    serial: int
    issuance: str
    block: BlockOut
    history: list[StepOut]


class HoldingsOut(Schema):
    account: str
    registry: str
    kind: str
    status: str
    holder: str
    balance: int
    blocks: list[BlockOut]


class AnnualOut(Schema):
    year: int
    kind: str = Field(description="issuance, transfer, international_transfer_out, acquisition (international "
                      "transfer in), authorisation, first_transfer, corresponding_adjustment, cancellation, "
                      "retirement")
    label: str = Field(description="the kind in the request's language")
    transactions: int
    quantity: int


class RegistryOut(Schema):
    code: str
    name: str
    party: str
    issued: int
    by_account_type: dict[str, int]
    accounts: int
    entity_accounts: list[dict[str, str]]
    annual: list[AnnualOut]


class ResultOut(Schema):
    operation: str
    sequence: int
    transaction: int | None
    quantity: int
    ranges: list[list[int]]
    details: dict[str, Any]
    replayed: bool


class Serials(Schema):
    ranges: list[tuple[int, int]] | None = None
    quantity: int | None = None


class AccountIn(Schema):
    registry: str
    number: str
    kind: Literal["government_holding", "entity_holding", "cancellation", "retirement"]
    holder_id: int | None = None
    holder_name: str = ""


class StatusIn(Schema):
    status: Literal["open", "suspended", "closed"]


class IssuanceIn(Schema):
    """Execute a Joint Committee notification recorded for this registry (the quantity and the
    allocation are the notification's; see ``services.record_jc_notification``)."""

    registry: str
    notification: str
    reference: str | None = None


class TransferIn(Serials):
    from_account: str
    to_account: str


class InternationalTransferIn(Serials):
    from_account: str
    to_registry: str
    to_account: str


class AuthorisationIn(Schema):
    account: str
    ranges: list[tuple[int, int]]
    authorisation_id: str
    purposes: list[Literal["ndc", "oimp", "other"]]
    first_transfer_trigger: Literal["international_transfer", "authorisation", "use"] = "international_transfer"
    authorisation_date: str | None = Field(
        None, description="the Party's authorisation date, YYYY-MM-DD (default: today; never in the future)",
        examples=["2026-01-15"],
    )


class AdjustmentIn(Schema):
    ranges: list[tuple[int, int]]
    party: str
    year: int


class CancellationIn(Serials):
    from_account: str
    reason: str


class RetirementIn(Serials):
    from_account: str
    purpose: Literal["ndc", "voluntary", "omge"]
    beneficiary: str
    ndc_party: str = ""


# -- helpers ---------------------------------------------------------------------------------------
def _refuse(status: int, code: str, field: str, text: str) -> Refused:
    """A refusal written at this edge: ``text`` as ``detail`` (as it always was), without its
    ``word: `` prefix (``account: no account X``) as the message."""
    return Refused(status, code, field, re.sub(r"^[a-z_]+: ", "", text), text)


def _ranges(pairs: list[tuple[int, int]] | None) -> list[SerialRange] | None:
    if pairs is None:
        return None
    try:
        return [SerialRange(s, e) for s, e in pairs]
    except errors.LedgerError as exc:
        raised = _fail(exc, {"ranges": pairs})
        raised.field = "ranges"
        raise raised from exc


def _registry(code: str, field: str = "registry") -> Registry:
    reg = Registry.objects.filter(code=code).first()
    if reg is None:
        raise _refuse(404, "not_found", field, _("registry: no registry %(code)s") % {"code": code})
    return reg


def _account(number: str, field: str) -> Account:
    acct = Account.objects.select_related("registry").filter(number=number).first()
    if acct is None:
        raise _refuse(404, "not_found", field, _("account: no account %(number)s") % {"number": number})
    return acct


def _require_manager(request: HttpRequest, registry: Registry, field: str) -> None:
    """403 on ``field`` (the registry or account the caller named) unless they manage ``registry``."""
    if not manages(request.user, registry):
        raise _refuse(
            403, "forbidden", field, _("only the registry manager of %(code)s may do this") % {"code": registry.code}
        )


def _run(fn: Any, **kwargs: Any) -> ResultOut:
    """Call one service; a refusal names the field of the request it concerns."""
    try:
        result = fn(**kwargs, now=system_now())
    except errors.LedgerError as exc:
        given = {k: v for k, v in kwargs.items() if k not in ("actor", "idempotency_key")}
        raise _fail(exc, given) from exc
    return ResultOut(**result.__dict__)


def block_out(b: queries.BlockRow) -> dict[str, Any]:
    return b.__dict__


# -- public reads ----------------------------------------------------------------------------------
@router.get("/registries", response=list[dict[str, str]])
def list_registries(request: HttpRequest) -> list[dict[str, str]]:
    return queries.registries()


@router.get("/registries/{code}", response={200: RegistryOut, 404: RefusalOut})
@answers
def registry_summary(request: HttpRequest, code: str) -> dict[str, Any]:
    """Credits issued, per account type, the entity holding accounts and the annual transactions
    summary (per year and kind, with the kind's label in the request's language)."""
    from jcm.registry.views.common import ANNUAL_KIND_LABELS

    summary = queries.registry_summary(code)
    if summary is None:
        raise _refuse(404, "not_found", "code", _("registry: no registry %(code)s") % {"code": code})
    annual = [
        {**y.__dict__, "label": str(ANNUAL_KIND_LABELS.get(y.kind, y.kind))} for y in queries.annual_summary(code)
    ]
    return {**summary.__dict__, "annual": annual}


@router.get("/serials/{serial}", response={200: SerialOut, 404: RefusalOut})
@answers
def serial_lookup(request: HttpRequest, serial: int) -> dict[str, Any]:
    """Where a serial is now (its block, with the block's issuance, project, monitoring period and
    Article 6 state) and every step that touched it, in journal order: the movements that brought it
    there and the Article 6 actions recorded on it (authorisation, corresponding adjustments)."""
    from jcm.registry.views.common import history_rows

    found = queries.serial_lookup(serial)
    if found is None:
        raise _refuse(404, "not_found", "serial", _("serial: %(serial)s has not been issued") % {"serial": serial})
    return {
        "serial": found.serial,
        "issuance": found.issuance,
        "block": block_out(found.block),
        "history": history_rows(found.history),
    }


@router.get("/retirements", response=list[dict[str, Any]])
def list_retirements(request: HttpRequest, registry: str | None = None) -> list[dict[str, Any]]:
    return [r.__dict__ for r in queries.retirements(registry=registry)]


@router.get("/retirements/{number}", response={200: dict[str, Any], 404: RefusalOut})
@answers
def get_retirement(request: HttpRequest, number: str) -> dict[str, Any]:
    r = queries.retirement(number)
    if r is None:
        raise _refuse(
            404, "not_found", "retirement", _("retirement: no retirement record %(number)s") % {"number": number}
        )
    return r.__dict__


@router.get("/journal/export")
def journal_export(request: HttpRequest) -> StreamingHttpResponse:
    """The public journal (JSON lines); verify it offline with `jcm ledger verify --export FILE`."""
    response = StreamingHttpResponse(
        (line + "\n" for line in queries.export_lines()), content_type="application/x-ndjson"
    )
    response["Content-Disposition"] = 'attachment; filename="jcm-journal.jsonl"'
    return response


@router.get("/journal/head", response=dict[str, Any])
def journal_head(request: HttpRequest) -> dict[str, Any]:
    seq, h = queries.journal_head()
    return {"sequence": seq, "hash": h, "checkpoints": [c.to_json() for c in queries.checkpoints()]}


# -- authenticated -----------------------------------------------------------------------------------
@router.get("/accounts/{number}", response={200: HoldingsOut, **ERRORS}, auth=token_or_session)
@answers
def account_holdings(request: HttpRequest, number: str) -> dict[str, Any]:
    """An account's balance and blocks (each with its issuance, project, monitoring period and
    Article 6 state): its holder or its registry manager."""
    acct = _account(number, "number")
    if not may_see_account(request.user, acct):
        raise _refuse(
            403, "forbidden", "number", _("only the account holder or the registry manager may see this account")
        )
    h = queries.holdings(number)
    assert h is not None
    return {**h.__dict__, "blocks": [block_out(b) for b in h.blocks]}


@router.post("/accounts", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def open_account(request: HttpRequest, body: AccountIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _registry(body.registry), "registry")
    return _run(services.open_account, idempotency_key=idempotency_key, actor=request.user, **body.dict())


@router.post("/accounts/{number}/status", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def set_status(request: HttpRequest, number: str, body: StatusIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _account(number, "number").registry, "number")
    try:
        result = services.set_account_status(
            idempotency_key=idempotency_key, account=number, status=body.status, actor=request.user, now=system_now()
        )
    except errors.LedgerError as exc:
        refused = _fail(exc, {"status": body.status})
        # A status move the account cannot make ("cannot go from closed to open") is about the status.
        refused.field = "status" if refused.field == "body" else refused.field
        raise refused from exc
    return ResultOut(**result.__dict__)


@router.post("/issuances", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def issue(request: HttpRequest, body: IssuanceIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _registry(body.registry), "registry")
    return _run(services.issue, idempotency_key=idempotency_key, actor=request.user, **body.dict())


@router.post("/transfers", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def transfer(request: HttpRequest, body: TransferIn, idempotency_key: str = Header(...)) -> ResultOut:
    if not may_move_from(request.user, _account(body.from_account, "from_account")):
        raise _refuse(403, "forbidden", "from_account",
                      _("only the account holder or the registry manager may transfer from this account"))
    return _run(
        services.transfer,
        idempotency_key=idempotency_key,
        from_account=body.from_account,
        to_account=body.to_account,
        ranges=_ranges(body.ranges),
        quantity=body.quantity,
        actor=request.user,
    )


@router.post("/international-transfers", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def international_transfer(
    request: HttpRequest, body: InternationalTransferIn, idempotency_key: str = Header(...)
) -> ResultOut:
    _require_manager(request, _account(body.from_account, "from_account").registry, "from_account")
    return _run(
        services.international_transfer,
        idempotency_key=idempotency_key,
        from_account=body.from_account,
        to_registry=body.to_registry,
        to_account=body.to_account,
        ranges=_ranges(body.ranges),
        quantity=body.quantity,
        actor=request.user,
    )


@router.post("/authorisations", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def authorise(request: HttpRequest, body: AuthorisationIn, idempotency_key: str = Header(...)) -> ResultOut:
    """Authorise serials under Article 6; ``authorisation_date`` is the Party's (default today; not
    in the future)."""
    _require_manager(request, _account(body.account, "account").registry, "account")
    return _run(
        services.authorise,
        idempotency_key=idempotency_key,
        account=body.account,
        ranges=_ranges(body.ranges) or [],
        authorisation_id=body.authorisation_id,
        purposes=body.purposes,
        first_transfer_trigger=body.first_transfer_trigger,
        authorisation_date=body.authorisation_date,
        actor=request.user,
    )


@router.post("/corresponding-adjustments", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def corresponding_adjustment(request: HttpRequest, body: AdjustmentIn, idempotency_key: str = Header(...)) -> ResultOut:
    regs = Registry.objects.filter(party=body.party, hosted=True)
    if not any(manages(request.user, r) for r in regs):
        raise _refuse(
            403, "forbidden", "party",
            _("only a registry manager of %(party)s may record its adjustments") % {"party": body.party},
        )
    return _run(
        services.record_corresponding_adjustment,
        idempotency_key=idempotency_key,
        ranges=_ranges(body.ranges) or [],
        party=body.party,
        year=body.year,
        actor=request.user,
    )


@router.post("/cancellations", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def cancel(request: HttpRequest, body: CancellationIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _account(body.from_account, "from_account").registry, "from_account")
    return _run(
        services.cancel,
        idempotency_key=idempotency_key,
        from_account=body.from_account,
        reason=body.reason,
        ranges=_ranges(body.ranges),
        quantity=body.quantity,
        actor=request.user,
    )


@router.post("/retirements", response={200: ResultOut, **ERRORS}, auth=token_or_session)
@answers
def retire(request: HttpRequest, body: RetirementIn, idempotency_key: str = Header(...)) -> ResultOut:
    if not may_move_from(request.user, _account(body.from_account, "from_account")):
        raise _refuse(403, "forbidden", "from_account",
                      _("only the account holder or the registry manager may retire from this account"))
    return _run(
        services.retire,
        idempotency_key=idempotency_key,
        from_account=body.from_account,
        purpose=body.purpose,
        beneficiary=body.beneficiary,
        ndc_party=body.ndc_party,
        ranges=_ranges(body.ranges),
        quantity=body.quantity,
        actor=request.user,
    )
