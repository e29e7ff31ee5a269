"""The core's refusals reach the user in their language: the Django layer renders a core Message as
``gettext(template) % params``; every template the core marks with N_ has its Japanese."""

from __future__ import annotations

import pytest
from django.utils import translation

from jcm.cycle.core.messages import N_, Message
from jcm.cycle.messages import render

from ..unit.test_messages import marked_templates
from .conftest import project

pytestmark = pytest.mark.django_db


def test_every_core_template_has_its_japanese():
    untranslated = []
    with translation.override("ja"):
        for template in marked_templates():
            text = translation.gettext(template)
            if text == template:
                untranslated.append(template)
    assert untranslated == [], untranslated


def test_render_in_the_active_language_with_nested_messages():
    reason = Message(N_("possible double registration not yet explained: %(hits)s"), hits=Message.joined([
        Message(N_("equipment identifiers shared with %(other)s: %(identifiers)s"), other="MN001",
                identifiers="INV-1")]))
    with translation.override("en"):
        assert render(reason) == str(reason)
    with translation.override("ja"):
        text = render(reason)
    assert "二重登録" in text and "MN001" in text and "INV-1" in text and "共通の機器識別子" in text
    assert render("plain") == "plain"


def test_refusal_shown_in_japanese_on_the_page_and_in_the_api(as_user):
    from jcm.cycle.models import TransitionRecord

    p = project("LED street lighting in Ulaanbaatar")
    before = TransitionRecord.objects.count()
    c = as_user("jcmember")
    page = c.post(f"/ja/cycle/workspace/project/{p.pk}/act/", {
        "action": "register", "role": "jc_member", "jc_member-register-decision_number": "N-1",
        "jc_member-register-decision_date": "2026-11-19", "jc_member-register-decision_mode": "electronic"})
    assert page.status_code == 422
    assert "から register はできません" in page.text  # wrong state, in Japanese
    assert TransitionRecord.objects.count() == before
    page = c.post(f"/en/cycle/workspace/project/{p.pk}/act/", {
        "action": "register", "role": "jc_member", "jc_member-register-decision_number": "N-1",
        "jc_member-register-decision_date": "2026-11-19", "jc_member-register-decision_mode": "electronic"})
    assert "register is not possible from validation" in page.text
    # the offers' reasons too
    tpe = as_user("tpe")
    page = tpe.get(f"/ja/cycle/workspace/project/{project('Solar power plant in Sainshand').pk}/")
    assert "パブリックインプット期間は" in page.text


def test_new_workspace_pages_are_in_japanese(as_user):
    from jcm.cycle.models import MethodologyVersion

    checks = [
        ("focalpoint", f"/ja/cycle/workspace/project/{project('Solar power plant in Darkhan (phase 2)').pk}/",
         ["変更を申請", "変更内容", "更新後のクレジット期間の開始日"], ["Request a change", "What changes"]),
        ("focalpoint", f"/ja/cycle/workspace/project/{project('LED street lighting in Ulaanbaatar').pk}/",
         ["プロジェクトを編集", "プロジェクトを保存する"], ["Edit the project", "Save the project"]),
        ("secretariat", "/ja/cycle/workspace/secretariat/",
         ["TPE の指定を記録", "合同委員会会合報告書を公表", "有効期限（最終日）"],
         ["Record a TPE designation", "Publish a JC meeting report", "Valid until"]),
        ("participant-ge", f"/ja/cycle/workspace/methodology/"
                           f"{MethodologyVersion.objects.get(methodology__am_id='GE_AM001').pk}/", ["版"], ["Versions"]),
    ]
    for username, url, japanese, english in checks:
        text = as_user(username).get(url).text
        for phrase in japanese:
            assert phrase in text, (url, phrase)
        for phrase in english:
            assert phrase not in text, (url, phrase)
