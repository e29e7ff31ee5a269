"""PostgreSQL: the one-statement transfer (``jcm.registry.fastpath``) is the Python service, faster.

The same random sequence of operations runs twice on an emptied database, once with the fast path
and once with the Python services only; every outcome (result or refusal and its message) and every
row the registry writes (blocks, balances, transactions, movements, audit events, idempotency keys,
journal entries and their hashes) must be identical, and the journal must verify.
"""

from __future__ import annotations

import json
import random
from contextlib import nullcontext
from dataclasses import asdict
from datetime import UTC, timedelta, timezone

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from jcm.audit.context import current_request_id
from jcm.audit.models import AuditEvent
from jcm.registry import fastpath, services
from jcm.registry.core.errors import LedgerError, SerialsNotHeld
from jcm.registry.core.journal import canonical_json
from jcm.registry.core.serials import SerialRange as R
from jcm.registry.models import (
    Account,
    Block,
    IdempotencyKey,
    JournalEntry,
    Movement,
    Transaction,
)
from jcm.registry.queries import verify_ledger
from tests.registry.helpers import notify_and_issue

from .conftest import NOW, issue_first_jcm, setup_registries

pytestmark = pytest.mark.postgres

JP_HOLDING = ["JP-GOV", "JP-MAYEKAWA", "JP-BUYER", 'JP-Ü"\\\t€', "JP-SUSP"]
ID_HOLDING = ["ID-GOV", "ID-PP"]
OTHERS = ["JP-CANCEL", "JP-RETIRE", "ID-CANCEL", "ID-RETIRE", "JP-NOPE"]
TZ = [UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-3, minutes=-30))]


def _setup(rnd: random.Random) -> None:
    services.create_registry(idempotency_key="r-jp", code="JP", party="JP", name="Japan", now=NOW)
    services.create_registry(idempotency_key="r-id", code="ID", party="ID", name="Indonesia", now=NOW)
    kinds = {"GOV": "government_holding", "CANCEL": "cancellation", "RETIRE": "retirement"}
    for number in [*JP_HOLDING, *ID_HOLDING, *OTHERS[:4]]:
        kind = next((v for k, v in kinds.items() if number.endswith(k)), "entity_holding")
        services.open_account(idempotency_key=f"a-{number}", registry=number[:2], number=number, kind=kind, now=NOW)
    for n in range(6):
        reg = rnd.choice(["JP", "ID"])
        accounts = JP_HOLDING if reg == "JP" else ID_HOLDING
        targets = rnd.sample(accounts, 2)
        notify_and_issue(
            idempotency_key=f"i-{n}",
            registry=reg,
            reference=f"ISS-{n}",
            project="ID001",
            vintage=rnd.randint(2013, 2030),
            approach="JCM_JP_ID",
            quantity=rnd.randint(10, 80),
            allocation=[(targets[0], 6000), (targets[1], 4000)],
            now=NOW,
        )


def _held(account: str) -> list[tuple[int, int]]:
    return list(
        Block.objects.filter(account__number=account, status="held").order_by("start").values_list("start", "end")
    )


def _pick_ranges(rnd: random.Random, account: str) -> list[R]:
    held = _held(account)
    choice = rnd.random()
    if not held or choice < 0.1:  # serials that may or may not be there
        lo = rnd.randint(1, 400)
        return [R(lo, lo + rnd.randint(0, 20))]
    out: list[R] = []
    for s, e in rnd.sample(held, min(len(held), rnd.choice([1, 1, 2, 3]))):
        lo = rnd.randint(s, e)
        out.append(R(lo, rnd.randint(lo, e)))
    if choice < 0.2 and out:  # one serial too many: not held, or the neighbour block
        out[-1] = R(out[-1].start, out[-1].end + 1)
    return [r for i, r in enumerate(sorted(out)) if not any(r.overlaps(o) for o in sorted(out)[:i])]


def _run(seed: int, nested: bool) -> list[object]:
    """Apply a random sequence of operations (each inside a caller's transaction when ``nested``);
    return every outcome."""
    rnd = random.Random(seed)
    _setup(rnd)
    alice = get_user_model().objects.create_user(username="alice", password="x")
    outcomes: list[object] = []
    requests: dict[str, dict[str, object]] = {}
    for n in range(70):
        now = (NOW + timedelta(hours=n, microseconds=rnd.randint(0, 999_999))).astimezone(rnd.choice(TZ))
        actor = alice if rnd.random() < 0.3 else None
        token = current_request_id.set(f"req-{seed}-{n}" if rnd.random() < 0.5 else "")
        key = f"k-{n}"
        roll = rnd.random()
        src = rnd.choice(JP_HOLDING + ID_HOLDING + (OTHERS if rnd.random() < 0.1 else []))
        same_reg = JP_HOLDING if src.startswith("JP") else ID_HOLDING
        dst = rnd.choice(same_reg if rnd.random() < 0.85 else [*JP_HOLDING, *ID_HOLDING, *OTHERS])
        try:
            with transaction.atomic() if nested else nullcontext():
                result = _step(rnd, n, roll, key, src, dst, actor, now, requests, outcomes)
            outcomes.append(("ok", asdict(result)))
        except LedgerError as exc:
            outcomes.append((type(exc).__name__, str(exc)))
        finally:
            current_request_id.reset(token)
    return outcomes


def _step(rnd, n, roll, key, src, dst, actor, now, requests, outcomes):
    """One random operation; returns its result or raises its refusal."""
    if roll < 0.7:
        request: dict[str, object] = {"from_account": src, "to_account": dst}
        if roll < 0.35:
            request["quantity"] = rnd.choice([rnd.randint(1, 15), rnd.randint(1, 200)])
        else:
            request["ranges"] = _pick_ranges(rnd, src)
        requests[key] = request
        result = services.transfer(idempotency_key=key, actor=actor, now=now, **request)
    elif roll < 0.76 and requests:  # replay an earlier key, with the same request or another one
        old = rnd.choice(sorted(requests))
        request = dict(requests[old])
        if rnd.random() < 0.4:
            request["to_account"] = rnd.choice(JP_HOLDING)
        outcomes.append(("replay-of", old))
        result = services.transfer(idempotency_key=old, actor=actor, now=now, **request)
    elif roll < 0.82:
        result = services.retire(
            idempotency_key=key,
            from_account=src,
            purpose=rnd.choice(["voluntary", "omge"]),
            beneficiary="Beneficiary KK",
            quantity=rnd.randint(1, 5),
            actor=actor,
            now=now,
        )
    elif roll < 0.86:
        result = services.cancel(
            idempotency_key=key, from_account=src, reason="test", ranges=_pick_ranges(rnd, src), now=now
        )
    elif roll < 0.91:
        ranges = _pick_ranges(rnd, src)
        result = services.authorise(
            idempotency_key=key,
            account=src,
            ranges=ranges,
            authorisation_id=f"AUTH-{n}",
            purposes=["ndc"],
            first_transfer_trigger=rnd.choice(["international_transfer", "use"]),
            now=now,
        )
    elif roll < 0.95:
        other = "ID" if src.startswith("JP") else "JP"
        result = services.international_transfer(
            idempotency_key=key,
            from_account=src,
            to_registry=other,
            to_account=rnd.choice(ID_HOLDING if other == "ID" else JP_HOLDING),
            ranges=_pick_ranges(rnd, src),
            now=now,
        )
    else:
        status = "suspended" if Account.objects.get(number="JP-SUSP").status == "open" else "open"
        result = services.set_account_status(idempotency_key=key, account="JP-SUSP", status=status, now=now)
    return result


def _snapshot() -> dict[str, object]:
    """Every row the registry writes, by natural key."""
    seq = dict(Transaction.objects.values_list("pk", "entry__sequence"))
    return {
        "blocks": list(
            Block.objects.order_by("start").values_list(
                "pk",
                "start",
                "end",
                "issuance__reference",
                "registry__code",
                "vintage",
                "account__number",
                "status",
                "authorised",
                "purposes",
                "authorisation_id",
                "authorisation_date",
                "first_transfer_trigger",
                "first_transferred",
                "first_transfer_date",
                "adjustments",
            )
        ),
        "accounts": list(Account.objects.order_by("number").values_list("pk", "number", "status", "balance")),
        "transactions": list(
            Transaction.objects.order_by("pk").values_list(
                "pk",
                "entry__sequence",
                "kind",
                "registry__code",
                "from_account__number",
                "to_account__number",
                "to_registry__code",
                "quantity",
                "ranges",
                "occurred_at",
                "initiator__username",
            )
        ),
        "movements": list(
            Movement.objects.order_by("pk").values_list("pk", "transaction_id", "issuance__reference", "start", "end")
        ),
        "audit": [
            (*row[:-1], seq.get(int(row[-1])) if row[2] == "registry.transaction" else row[-1])
            for row in AuditEvent.objects.filter(action__startswith="registry.")
            .order_by("pk")
            .values_list(
                "pk",
                "action",
                "target_type",
                "target_label",
                "actor__username",
                "actor_label",
                "at",
                "before",
                "after",
                "request_id",
                "target_id",
            )
        ],
        "keys": list(IdempotencyKey.objects.order_by("pk").values_list("scope", "key", "operation", "request_hash", "result")),
        "journal": list(
            JournalEntry.objects.order_by("sequence").values_list(
                "pk", "sequence", "kind", "occurred_at", "payload", "prev_hash", "hash"
            )
        ),
    }


def _flush() -> None:
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("seed", "nested"), [(seed, seed % 2 == 1) for seed in range(8)])
def test_fast_and_python_paths_write_the_same_ledger(seed, nested, monkeypatch):
    calls = {"fast": 0}
    real = fastpath.transfer

    def counting(**kwargs):
        calls["fast"] += 1
        return real(**kwargs)

    monkeypatch.setattr(fastpath, "transfer", counting)

    _flush()
    fast_outcomes = _run(seed, nested)
    fast_rows = _snapshot()
    assert verify_ledger() is None
    used = calls["fast"]

    _flush()
    with fastpath.disabled():
        python_outcomes = _run(seed, nested)
        python_rows = _snapshot()
        assert verify_ledger() is None
    assert calls["fast"] == used  # the second run did not touch the fast path

    assert used > 30
    assert sum(1 for o in fast_outcomes if o[0] == "ok") > 20
    assert fast_outcomes == python_outcomes
    for table, rows in fast_rows.items():
        assert rows == python_rows[table], table
    assert fast_rows["journal"]  # and therefore every hash


@pytest.mark.django_db(transaction=True)
def test_one_round_trip_and_same_refusals_inside_a_transaction():
    setup_registries()
    issue_first_jcm()
    with CaptureQueriesContext(connection) as ctx:  # autocommit: the statement is the transaction
        result = services.transfer(
            idempotency_key="fast-1", from_account="JP-GOV", to_account="JP-BUYER", quantity=3, now=NOW
        )
    assert len(ctx.captured_queries) == 1 and "jcm_registry_transfer" in ctx.captured_queries[0]["sql"]
    assert (result.quantity, result.ranges) == (3, [[1, 3]])
    with transaction.atomic():  # under the caller's transaction: a savepoint, and a refusal leaves it usable
        with (
            CaptureQueriesContext(connection) as ctx,
            pytest.raises(SerialsNotHeld, match="serials 1-3 are not held in account JP-GOV"),
        ):
            services.transfer(
                idempotency_key="fast-2", from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(1, 3)], now=NOW
            )
        assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["SAVEPOINT", "SELECT", "ROLLBACK", "RELEASE"]
        services.transfer(
            idempotency_key="fast-3", from_account="JP-GOV", to_account="JP-BUYER", ranges=[R(4, 4)], now=NOW
        )
    assert not IdempotencyKey.objects.filter(key="fast-2").exists()
    replay = services.transfer(
        idempotency_key="fast-1", from_account="JP-GOV", to_account="JP-BUYER", quantity=3, now=NOW
    )
    assert replay.replayed and replay.sequence == result.sequence
    assert verify_ledger() is None


@pytest.mark.django_db
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40))
def test_sql_json_string_is_pythons_canonical_json(value):
    with connection.cursor() as cur:
        cur.execute("SELECT jcm_registry_json_string(%s)", [value])
        (text,) = cur.fetchone()
    assert text.encode("utf-8") == canonical_json(value)
    assert json.loads(text) == value


@pytest.mark.django_db
def test_sql_json_string_every_control_character():
    value = "".join(chr(i) for i in range(1, 128)) + "é日本\u2028\U0001f600"
    with connection.cursor() as cur:
        cur.execute("SELECT jcm_registry_json_string(%s)", [value])
        (text,) = cur.fetchone()
    assert text.encode("utf-8") == canonical_json(value)
