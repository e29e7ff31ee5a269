"""The audit trail: written in the change's transaction, append-only, with the request id."""

from __future__ import annotations

import pytest
from django.db import transaction

from jcm.audit.models import AuditEvent
from jcm.audit.services import NoTransactionError, record_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_recording_outside_a_transaction_is_refused(now):
    with pytest.raises(NoTransactionError):
        record_event(action="x.y", target=("x.thing", "1"), at=now)


def test_event_rolls_back_with_the_change(now):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(action="x.y", target=("x.thing", "1"), at=now, after={"a": 1})
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 0


def test_events_are_append_only(now):
    with transaction.atomic():
        event = record_event(action="x.y", target=("x.thing", "1"), at=now, before={"q": 1}, after={"q": 2})
    event.action = "tampered"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_naive_time_is_refused(now):
    with pytest.raises(ValueError), transaction.atomic():
        record_event(action="x.y", target=("x.thing", "1"), at=now.replace(tzinfo=None))


def test_request_id_reaches_the_event(client, now):
    from jcm.reference.services import load_reference_data
    from jcm.site.demo import DEMO_PASSWORD, load_demo
    from tests.conftest import REPO

    load_reference_data(directory=REPO / "data" / "reference", now=now)
    load_demo(now=now)
    client.login(username="secretariat", password=DEMO_PASSWORD)
    response = client.get("/en/workspace/", HTTP_X_REQUEST_ID="req-123")
    assert response["X-Request-ID"] == "req-123"
