"""The demo world (`jcm demo`) loaded once per test module, on a fixed clock, for the cycle's pages,
API and CLI. Tests run inside transactions on top of it, so each starts from the same world."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test.utils import override_settings

REPO = Path(__file__).resolve().parents[3]
DEMO_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
_media = tempfile.mkdtemp(prefix="jcm-cycle-web-media-")


@pytest.fixture(scope="session", autouse=True)
def _media_root() -> object:
    with override_settings(MEDIA_ROOT=_media):
        yield


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, _media_root) -> object:
    """Loaded per test module and flushed after it, so that no other capability's test sees it."""
    from django.core.management import call_command

    from jcm.reference.services import load_reference_data
    from jcm.site.demo import load_demo

    with django_db_blocker.unblock():
        load_reference_data(directory=REPO / "data" / "reference", now=DEMO_NOW)
        load_demo(now=DEMO_NOW)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def world(demo, db) -> None:
    return None


@pytest.fixture
def as_user(client, world):
    def sign_in(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client
    return sign_in


def project(title: str):
    from jcm.cycle.models import Project

    return Project.objects.get(title=title)
