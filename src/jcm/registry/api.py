"""/api/v1/registry: public reads (summaries, serial lookup, retirements, journal export) and
authenticated writes (registry managers for their registry; holders for their own accounts).

Every write needs an ``Idempotency-Key`` header: a replay with the same body returns the original
result; with a different body it is refused (409).
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema
from ninja.errors import HttpError

from jcm.accounts.api_auth import token_or_session
from jcm.audit.core.clock import system_now
from jcm.registry import queries, services
from jcm.registry.core import errors
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


def _fail(exc: errors.LedgerError) -> HttpError:
    status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 422)
    return HttpError(status, f"{exc.code}: {render(exc.message)}")


# -- schemas ---------------------------------------------------------------------------------------
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
def _ranges(pairs: list[tuple[int, int]] | None) -> list[SerialRange] | None:
    if pairs is None:
        return None
    try:
        return [SerialRange(s, e) for s, e in pairs]
    except errors.LedgerError as exc:
        raise _fail(exc) from exc


def _registry(code: str) -> Registry:
    reg = Registry.objects.filter(code=code).first()
    if reg is None:
        raise HttpError(404, _("registry: no registry %(code)s") % {"code": code})
    return reg


def _account(number: str) -> Account:
    acct = Account.objects.select_related("registry").filter(number=number).first()
    if acct is None:
        raise HttpError(404, _("account: no account %(number)s") % {"number": number})
    return acct


def _require_manager(request: HttpRequest, registry: Registry) -> None:
    if not manages(request.user, registry):
        raise HttpError(403, _("only the registry manager of %(code)s may do this") % {"code": registry.code})


def _run(fn: Any, **kwargs: Any) -> ResultOut:
    try:
        result = fn(**kwargs, now=system_now())
    except errors.LedgerError as exc:
        raise _fail(exc) from exc
    return ResultOut(**result.__dict__)


# -- public reads ----------------------------------------------------------------------------------
@router.get("/registries", response=list[dict[str, str]])
def list_registries(request: HttpRequest) -> list[dict[str, str]]:
    return queries.registries()


@router.get("/registries/{code}", response=dict[str, Any])
def registry_summary(request: HttpRequest, code: str) -> dict[str, Any]:
    summary = queries.registry_summary(code)
    if summary is None:
        raise HttpError(404, _("registry: no registry %(code)s") % {"code": code})
    return {**summary.__dict__, "annual": [y.__dict__ for y in queries.annual_summary(code)]}


@router.get("/serials/{serial}", response=dict[str, Any])
def serial_lookup(request: HttpRequest, serial: int) -> dict[str, Any]:
    found = queries.serial_lookup(serial)
    if found is None:
        raise HttpError(404, _("serial: %(serial)s has not been issued") % {"serial": serial})
    return {
        "serial": found.serial,
        "issuance": found.issuance,
        "block": found.block.__dict__,
        "history": [s.__dict__ for s in found.history],
    }


@router.get("/retirements", response=list[dict[str, Any]])
def list_retirements(request: HttpRequest, registry: str | None = None) -> list[dict[str, Any]]:
    return [r.__dict__ for r in queries.retirements(registry=registry)]


@router.get("/retirements/{number}", response=dict[str, Any])
def get_retirement(request: HttpRequest, number: str) -> dict[str, Any]:
    r = queries.retirement(number)
    if r is None:
        raise HttpError(404, _("retirement: no retirement record %(number)s") % {"number": number})
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
@router.get("/accounts/{number}", response=dict[str, Any], auth=token_or_session)
def account_holdings(request: HttpRequest, number: str) -> dict[str, Any]:
    acct = _account(number)
    if not may_see_account(request.user, acct):
        raise HttpError(403, _("only the account holder or the registry manager may see this account"))
    h = queries.holdings(number)
    assert h is not None
    return {**h.__dict__, "blocks": [b.__dict__ for b in h.blocks]}


@router.post("/accounts", response=ResultOut, auth=token_or_session)
def open_account(request: HttpRequest, body: AccountIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _registry(body.registry))
    return _run(services.open_account, idempotency_key=idempotency_key, actor=request.user, **body.dict())


@router.post("/accounts/{number}/status", response=ResultOut, auth=token_or_session)
def set_status(request: HttpRequest, number: str, body: StatusIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _account(number).registry)
    return _run(
        services.set_account_status,
        idempotency_key=idempotency_key,
        account=number,
        status=body.status,
        actor=request.user,
    )


@router.post("/issuances", response=ResultOut, auth=token_or_session)
def issue(request: HttpRequest, body: IssuanceIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _registry(body.registry))
    return _run(services.issue, idempotency_key=idempotency_key, actor=request.user, **body.dict())


@router.post("/transfers", response=ResultOut, auth=token_or_session)
def transfer(request: HttpRequest, body: TransferIn, idempotency_key: str = Header(...)) -> ResultOut:
    if not may_move_from(request.user, _account(body.from_account)):
        raise HttpError(403, _("only the account holder or the registry manager may transfer from this account"))
    return _run(
        services.transfer,
        idempotency_key=idempotency_key,
        from_account=body.from_account,
        to_account=body.to_account,
        ranges=_ranges(body.ranges),
        quantity=body.quantity,
        actor=request.user,
    )


@router.post("/international-transfers", response=ResultOut, auth=token_or_session)
def international_transfer(
    request: HttpRequest, body: InternationalTransferIn, idempotency_key: str = Header(...)
) -> ResultOut:
    _require_manager(request, _account(body.from_account).registry)
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


@router.post("/authorisations", response=ResultOut, auth=token_or_session)
def authorise(request: HttpRequest, body: AuthorisationIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _account(body.account).registry)
    return _run(
        services.authorise,
        idempotency_key=idempotency_key,
        account=body.account,
        ranges=_ranges(body.ranges) or [],
        authorisation_id=body.authorisation_id,
        purposes=body.purposes,
        first_transfer_trigger=body.first_transfer_trigger,
        actor=request.user,
    )


@router.post("/corresponding-adjustments", response=ResultOut, auth=token_or_session)
def corresponding_adjustment(request: HttpRequest, body: AdjustmentIn, idempotency_key: str = Header(...)) -> ResultOut:
    regs = Registry.objects.filter(party=body.party, hosted=True)
    if not any(manages(request.user, r) for r in regs):
        raise HttpError(
            403, _("only a registry manager of %(party)s may record its adjustments") % {"party": body.party}
        )
    return _run(
        services.record_corresponding_adjustment,
        idempotency_key=idempotency_key,
        ranges=_ranges(body.ranges) or [],
        party=body.party,
        year=body.year,
        actor=request.user,
    )


@router.post("/cancellations", response=ResultOut, auth=token_or_session)
def cancel(request: HttpRequest, body: CancellationIn, idempotency_key: str = Header(...)) -> ResultOut:
    _require_manager(request, _account(body.from_account).registry)
    return _run(
        services.cancel,
        idempotency_key=idempotency_key,
        from_account=body.from_account,
        reason=body.reason,
        ranges=_ranges(body.ranges),
        quantity=body.quantity,
        actor=request.user,
    )


@router.post("/retirements", response=ResultOut, auth=token_or_session)
def retire(request: HttpRequest, body: RetirementIn, idempotency_key: str = Header(...)) -> ResultOut:
    if not may_move_from(request.user, _account(body.from_account)):
        raise HttpError(403, _("only the account holder or the registry manager may retire from this account"))
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
