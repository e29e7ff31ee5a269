"""No page, API answer, query result or admin page names a stored file's URL or storage path; files go
only through the views that check (the confidential one for the assigned TPE, the JC and the
secretariat); MEDIA_ROOT is served by no route."""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jcm.cycle import queries

from .conftest import project

pytestmark = pytest.mark.django_db

SEES_ALL = ("tpe", "jcmember", "secretariat", "admin")


def _confidential_versions():
    from jcm.cycle.models import DocumentVersion

    versions = [v for v in DocumentVersion.objects.select_related("document") if v.has_confidential]
    assert versions, "the demo has confidential documents"
    return versions


def _storage_traces(v) -> list[str]:
    name = v.confidential_file.name
    return [name, name.rsplit("/", 1)[-1], "cycle/confidential", v.public_file.name]


def _assert_clean(text: str, versions) -> None:
    for v in versions:
        for trace in _storage_traces(v):
            assert trace not in text, trace


def test_queries_give_version_ids_never_file_urls(world, django_user_model):
    versions = _confidential_versions()
    p = versions[0].document.subject
    for username in (None, *SEES_ALL):
        user = django_user_model.objects.get(username=username) if username else None
        detail = queries.project_detail(p, user=user, now=p.updated_at)
        text = json.dumps(detail, default=str)
        _assert_clean(text, versions)
        assert '"url"' not in text and "_url" not in text
        doc = next(d for d in detail["documents"] if d["has_confidential"])
        assert doc["version_id"] in {v.pk for v in versions}
        assert doc["may_see_confidential"] is (username in ("tpe", "jcmember", "secretariat"))


def test_pages_api_and_admin_name_no_stored_file(client, world, django_user_model):
    versions = _confidential_versions()
    p = versions[0].document.subject
    for username in (None, *SEES_ALL):
        client.logout()
        if username:
            client.force_login(django_user_model.objects.get(username=username))
        pages = [f"/en/cycle/projects/{p.key}/", f"/api/v1/cycle/projects/{p.key}"]
        if username:
            pages.append(f"/en/cycle/workspace/project/{p.pk}/")
        if username == "admin":
            pages += [f"/en/admin/cycle/documentversion/{v.pk}/change/" for v in versions]
            pages.append("/en/admin/cycle/documentversion/")
        for url in pages:
            answer = client.get(url)
            assert answer.status_code == 200, url
            _assert_clean(answer.content.decode(), versions)


def test_confidential_file_only_through_the_checking_view(client, world, django_user_model):
    v = _confidential_versions()[0]
    url = f"/en/cycle/files/{v.pk}/confidential/"
    assert client.get(url).status_code == 403
    client.force_login(django_user_model.objects.get(username="participant"))
    assert client.get(url).status_code == 403
    client.force_login(django_user_model.objects.get(username="tpe"))
    answer = client.get(url)
    assert answer.status_code == 200 and b"confidential" in b"".join(answer.streaming_content)


def _callbacks(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _callbacks(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_no_route_serves_media_files(client, world, settings):
    from django.views.static import serve

    for route, callback in _callbacks(get_resolver().url_patterns):
        assert callback is not serve, route
        assert getattr(callback, "__module__", "") != "django.views.static", route
    v = _confidential_versions()[0]
    for prefix in ("/", "/media/", "/static/", "/en/media/", "/ja/"):
        assert client.get(prefix + v.confidential_file.name).status_code == 404, prefix
    assert not settings.MEDIA_URL or settings.MEDIA_URL.strip("/") not in {s.strip("/") for s in
                                                                           (settings.STATIC_URL,)}
    assert project("Solar power plant in Sainshand").key  # the demo is loaded
