"""The shipped rule sets and the choice of the version in force."""

from __future__ import annotations

import pytest

from jcm.cycle.core.errors import RuleSetNotFound
from jcm.cycle.core.rulesets import DEADLINE_KEYS, FEATURES, STEPS, DayKind, Generation, rule_set_for

from .support import D, catalogue, rule_set


def test_defaults_exist_for_both_generations() -> None:
    legacy, art6 = rule_set("default-legacy.v1"), rule_set("default-article6.v1")
    assert (legacy.partner, legacy.generation) == (None, Generation.LEGACY)
    assert (art6.partner, art6.generation) == (None, Generation.ARTICLE6)
    assert not any(legacy.has(f) for f in FEATURES)
    assert all(art6.has(f) for f in FEATURES)


def test_every_rule_set_states_every_deadline_step_and_parameter() -> None:
    for r in catalogue().rule_sets:
        assert set(r.deadlines) == set(DEADLINE_KEYS), r.id
        assert set(r.steps) == set(STEPS), r.id
        for step in STEPS:
            assert all(code in r.forms for code in r.steps[step])


def test_the_reference_day_counts_with_their_tags() -> None:
    r = rule_set("default-legacy.v1")
    got = {k: (r.deadline(k).days, r.deadline(k).extendable_to, r.deadline(k).confidence) for k in DEADLINE_KEYS}
    assert got["methodology_completeness_check"] == (7, None, "V")
    assert got["methodology_public_input"] == (15, None, "V")
    assert got["methodology_jc_consideration"] == (60, 90, "V")
    assert got["pdd_public_input"] == (30, None, "K")
    assert got["registration_completeness_check"] == (7, None, "K")
    assert got["issuance_completeness_check"] == (7, None, "K")
    gaps = {k for k, (days, _, tag) in got.items() if tag == "GAP"}
    assert all(got[k][0] is None for k in gaps)
    assert {"registration_jc_consideration", "issuance_jc_consideration", "validation",
            "methodology_previous_version_grace"} <= gaps
    assert all(r.deadline(k).kind is DayKind.CALENDAR for k in DEADLINE_KEYS)


def test_unconfirmed_values_are_data_with_their_tags() -> None:
    p = rule_set("default-legacy.v1").parameters
    assert p.materiality_threshold.value is None and p.materiality_threshold.confidence == "GAP"
    assert (p.crediting_period_latest_end.value, p.crediting_period_latest_end.confidence) == (D(2030, 12, 31), "K")
    assert rule_set("default-article6.v1").parameters.crediting_period_latest_end.value is None
    assert rule_set("ID.v1").parameters.submissions_to_both_secretariats.value is True
    assert rule_set("ID.v1").documents["PCP"] == "ver06.0"


def test_forms_per_step_and_their_versions() -> None:
    art6 = rule_set("default-article6.v1")
    assert [f.code for f in art6.forms_for("project.request_registration")] == [
        "F_Reg_Req", "F_PDD", "F_Val_Rep", "F_MoC", "F_Crd_Allc", "F_SDIP"]
    assert [f.code for f in rule_set("default-legacy.v1").forms_for("project.request_registration")] == [
        "F_Reg_Req", "F_PDD", "F_Val_Rep", "F_MoC"]
    assert rule_set("KG.v1").forms["F_Crd_Allc"].name == "Credit Allocation Form"
    mn = rule_set("MN.v1")
    assert mn.forms["F_Iss_Req"].file_name("MN") == "JCM_MN_F_Iss_Req_ver04.0"
    assert mn.forms["F_Vrf_Rep"].version == "ver02.1"
    assert mn.forms["F_PDD"].file_name("MN") is None
    assert mn.forms["F_SDIP"].name == "SD Contribution Plan"


def test_translation_requirements() -> None:
    vn = rule_set("VN.v1")
    (requirement,) = vn.translations_for("project.request_registration")
    assert (requirement.language, requirement.authoritative, requirement.confidence) == ("vi", "en", "V")
    assert vn.translations_for("issuance.request_issuance") == ()
    assert rule_set("TH.v1").translations == ()


@pytest.mark.parametrize(("partner", "on", "expected"), [
    ("TH", D(2015, 11, 19), "TH.v1"),
    ("TH", D(2022, 6, 16), "TH.v1"),
    ("TH", D(2022, 6, 17), "TH.v2"),
    ("TH", D(2030, 1, 1), "TH.v2"),
    ("SA", D(2021, 1, 15), "SA.v1"),
    ("SA", D(2021, 1, 16), "SA.v2"),
    ("LK", D(2023, 10, 13), "LK.v1"),
    ("KG", D(2025, 5, 16), "KG.v1"),
])
def test_the_version_in_force_on_a_date(partner: str, on: object, expected: str) -> None:
    assert rule_set_for(catalogue(), partner, on, generation="legacy").id == expected  # type: ignore[arg-type]


def test_pairs_without_their_own_rule_set_use_the_default_of_their_generation() -> None:
    assert rule_set_for(catalogue(), "TN", D(2024, 1, 1), generation=Generation.ARTICLE6).id == "default-article6.v1"
    assert rule_set_for(catalogue(), "BD", D(2022, 3, 28), generation="legacy").id == "default-legacy.v1"
    # Before Kyrgyz's first JC, its own rules were not in force: the Article 6 default applies.
    assert rule_set_for(catalogue(), "KG", D(2025, 5, 15), generation="article6").id == "default-article6.v1"


def test_no_rule_set_in_force() -> None:
    with pytest.raises(RuleSetNotFound, match="no default article6 rule set is in force on 2023-01-01"):
        rule_set_for(catalogue(), "TN", D(2023, 1, 1), generation="article6")
    with pytest.raises(RuleSetNotFound, match="no generation was given"):
        rule_set_for(catalogue(), "TN", D(2024, 1, 1))
    with pytest.raises(RuleSetNotFound, match="JP-TH"):
        rule_set_for(catalogue(), "TH", D(2012, 1, 1))
    with pytest.raises(RuleSetNotFound, match=r"'XX\.v9'"):
        catalogue().get("XX.v9")


def test_a_new_version_does_not_change_what_was_decided_under_the_old() -> None:
    # A decision stores its rule-set id and digest; the old version stays loadable and unchanged.
    old, new = rule_set("TH.v1"), rule_set("TH.v2")
    assert old.parameters.remote_onsite_assessment.value is None
    assert new.parameters.remote_onsite_assessment.value is True
    assert old.digest != new.digest
    assert catalogue().get("TH.v1") == old
    assert [r.id for r in catalogue().versions("TH")] == ["TH.v1", "TH.v2"]
    # Inherited values are resolved into the child: editing the parent would change the child's digest.
    assert new.deadline("pdd_public_input") == old.deadline("pdd_public_input")
