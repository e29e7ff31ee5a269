"""Fixtures shared by every capability's tests."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

REPO = Path(__file__).resolve().parents[1]

# Property tests check results, not speed: on a shared two-core machine (CI included) one example can
# take longer than hypothesis's default 200 ms deadline while other suites run, which is not a failure.
hypothesis_settings.register_profile("jcm", deadline=None)
hypothesis_settings.load_profile("jcm")


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (make test runs the suite on it too)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_sessionstart(session: pytest.Session) -> None:
    # Under CI the PostgreSQL run must really be on PostgreSQL: a silently missing server is a failure.
    wanted = os.environ.get("DATABASE_URL", "")
    if os.environ.get("CI") == "true" and wanted.startswith("postgres") and not _on_postgres():
        raise pytest.UsageError("CI=true and DATABASE_URL names PostgreSQL, but Django is not using it")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> object:
    """Password hashing is deliberately slow; tests do not need it to be."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def reference_data(db: None, now: datetime) -> object:
    """The shipped reference data, loaded through the service as `jcm reference load` does."""
    from jcm.reference.services import load_reference_data

    return load_reference_data(directory=REPO / "data" / "reference", now=now)
