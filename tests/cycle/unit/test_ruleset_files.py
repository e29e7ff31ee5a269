"""Bad rule-set files are refused with the file, the line and the key named."""

from __future__ import annotations

import pytest

from jcm.cycle.core.errors import RuleSetError
from jcm.cycle.core.ruleset_loader import load_rule_sets, load_rule_sets_from_texts

from .support import RULESETS

BASE = {name: (RULESETS / name).read_text() for name in ("default-legacy.v1.yaml", "default-article6.v1.yaml")}
PAIR = """\
id: XX.v1
partner: XX
generation: legacy
version: 1
effective_from: 2024-01-01
effective_from_confidence: V
title: Test pair
sources: [https://example.org]
extends: default-legacy.v1
"""


def problems(files: dict[str, str]) -> list[str]:
    with pytest.raises(RuleSetError) as caught:
        load_rule_sets_from_texts({**BASE, **files})
    return [str(p) for p in caught.value.problems]


def test_a_minimal_pair_file_extending_a_default_loads() -> None:
    catalogue = load_rule_sets_from_texts({**BASE, "XX.v1.yaml": PAIR})
    assert catalogue.get("XX.v1").deadline("methodology_public_input").days == 15


def test_invalid_yaml_names_the_line() -> None:
    assert problems({"XX.v1.yaml": PAIR + "deadlines: [\n"}) == [
        "XX.v1.yaml:11: not valid YAML: expected the node content, but found '<stream end>'"]


def test_not_a_mapping() -> None:
    assert problems({"XX.v1.yaml": "- a\n- b\n"}) == ["XX.v1.yaml:1: the file must hold one mapping (key: value lines)"]


def test_unknown_keys_are_refused_with_line_and_key() -> None:
    text = PAIR + "deadlines:\n  pdd_publik_input: {days: 30, confidence: K}\nparameters:\n  materiality: {value: 1, confidence: GAP}\n"
    found = problems({"XX.v1.yaml": text})
    assert any(p.startswith("XX.v1.yaml:11 [deadlines.pdd_publik_input]: unknown deadline") for p in found)
    assert any(p.startswith("XX.v1.yaml:13 [parameters.materiality]: unknown parameter") for p in found)
    assert problems({"XX.v1.yaml": PAIR + "colour: blue\n"})[0].startswith("XX.v1.yaml:10 [colour]: unknown key")


@pytest.mark.parametrize(("entry", "expected"), [
    ("{days: 30, confidence: GAP}", "[deadlines.pdd_public_input.days]: a GAP value has no days (write days: null)"),
    ("{days: null, confidence: K}", "[deadlines.pdd_public_input.confidence]: days: null must be tagged GAP, not K"),
    ("{days: 30, confidence: V}", "[deadlines.pdd_public_input.source]: a value tagged V must name its source"),
    ("{days: 0, confidence: K}", "[deadlines.pdd_public_input.days]: must be at least 1, got 0"),
    ("{days: thirty, confidence: K}", "[deadlines.pdd_public_input.days]: must be a whole number, got 'thirty'"),
    ("{days: 30, kind: business, confidence: K}", "[deadlines.pdd_public_input.kind]: must be calendar or working"),
    ("{days: 30, confidence: maybe}", "[deadlines.pdd_public_input.confidence]: must be one of V, D, K, GAP, press"),
    ("{days: 60, extendable_to: 30, confidence: K}", "[deadlines.pdd_public_input.extendable_to]: must be at least days"),
])
def test_bad_day_counts(entry: str, expected: str) -> None:
    found = problems({"XX.v1.yaml": PAIR + f"deadlines:\n  pdd_public_input: {entry}\n"})
    assert len(found) == 1 and found[0].startswith("XX.v1.yaml:11") and expected in found[0], found


def test_missing_values_are_reported_not_defaulted() -> None:
    text = BASE["default-legacy.v1.yaml"].replace(
        '  pdd_public_input: {days: 30, kind: calendar, confidence: K, source: "jcm-rules.md §2.2 P2, §9.2 (CDM/JI norm; confirm in PCP §1.6.1.2)"}\n',
        "")
    found = problems({"default-legacy.v1.yaml": text})
    assert any("default-legacy.v1.yaml:" in p and "[deadlines.pdd_public_input]: missing" in p for p in found)


def test_a_step_must_name_forms_of_the_rule_set() -> None:
    found = problems({"XX.v1.yaml": PAIR + "steps:\n  project.publish_pdd: [F_PDD, F_Nope]\n"})
    assert found == ["XX.v1.yaml:11 [steps.project.publish_pdd.1]: form 'F_Nope' is not in this rule set's forms"]


def test_bad_translation_and_calendar_and_partner() -> None:
    text = PAIR.replace("partner: XX", "partner: JP") + (
        "calendar:\n  timezone: {value: Mars/Olympus, confidence: GAP}\n"
        "translations:\n  - {language: VI, steps: [methodology.submit], confidence: V}\n"
    )
    found = problems({"XX.v1.yaml": text})
    assert any("[partner]: must be the partner's ISO-2 code in upper case (not JP)" in p for p in found)
    assert any("[calendar.timezone.value]: unknown time zone 'Mars/Olympus'" in p for p in found)
    assert any("[translations.0.language]: must be an ISO 639 code in lower case" in p for p in found)


def test_id_must_match_the_file_name() -> None:
    assert problems({"YY.v1.yaml": PAIR}) == ["YY.v1.yaml:1 [id]: must equal the file name without .yaml ('YY.v1'), got 'XX.v1'"]


def test_extends_must_exist_and_not_loop() -> None:
    assert problems({"XX.v1.yaml": PAIR.replace("extends: default-legacy.v1", "extends: nowhere")}) == [
        "XX.v1.yaml:9 [extends]: extends 'nowhere', which is not a rule-set file here"]
    a = PAIR.replace("extends: default-legacy.v1", "extends: XX.v2")
    b = PAIR.replace("id: XX.v1", "id: XX.v2").replace("version: 1", "version: 2")
    found = problems({"XX.v1.yaml": a, "XX.v2.yaml": b.replace("extends: default-legacy.v1", "extends: XX.v1")})
    assert any("extends forms a cycle" in p for p in found)


def test_versions_rise_with_their_dates() -> None:
    later = PAIR.replace("id: XX.v1", "id: XX.v2").replace("version: 1", "version: 2").replace("2024-01-01", "2023-01-01")
    assert problems({"XX.v1.yaml": PAIR, "XX.v2.yaml": later}) == [
        "XX.v2.yaml:4 [version]: version 2 must take effect after version 1 (XX.v1, 2024-01-01)"]
    same = PAIR.replace("id: XX.v1", "id: XX.v2").replace("2024-01-01", "2025-01-01")
    assert problems({"XX.v1.yaml": PAIR, "XX.v2.yaml": same}) == ["XX.v2.yaml:4 [version]: version 1 is also XX.v1"]


def test_a_problem_in_an_inherited_key_is_reported_in_the_file_that_states_it() -> None:
    broken_base = BASE["default-legacy.v1.yaml"].replace("weekend: [6, 7]", "weekend: [6, 8]")
    found = problems({"default-legacy.v1.yaml": broken_base, "XX.v1.yaml": PAIR})
    assert found and all(p.startswith("default-legacy.v1.yaml:") and "[calendar.weekend.1]" in p for p in found)


def test_non_yaml_names_and_empty_directory(tmp_path: object) -> None:
    assert problems({"notes.txt": "x"}) == ["notes.txt: a rule-set file name ends in .yaml"]
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    with pytest.raises(RuleSetError, match="no rule-set files"):
        load_rule_sets(tmp_path)
