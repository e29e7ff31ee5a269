"""Identifier formats and next-ID allocation."""

from __future__ import annotations

import pytest

from jcm.cycle.core.ids import (
    FIRST_VERSION,
    IdKind,
    MethodologyVersion,
    approved_methodology_label,
    format_id,
    next_id,
    parse_id,
    parse_version,
)


@pytest.mark.parametrize(("kind", "text", "partner", "number"), [
    (IdKind.PROPOSED_METHODOLOGY, "CR_PM002", "CR", 2),
    (IdKind.APPROVED_METHODOLOGY, "TH_AM016", "TH", 16),
    (IdKind.PIN, "LK_PIN001", "LK", 1),
    (IdKind.PROJECT, "ID009", "ID", 9),
    (IdKind.PROJECT, "TH1000", "TH", 1000),
])
def test_round_trip(kind: IdKind, text: str, partner: str, number: int) -> None:
    parsed = parse_id(kind, text)
    assert (parsed.partner, parsed.number) == (partner, number)
    assert str(parsed) == text == format_id(kind, partner, number)


@pytest.mark.parametrize(("kind", "text"), [
    (IdKind.PROJECT, "ID9"), (IdKind.PROJECT, "id009"), (IdKind.PROJECT, "JP001"), (IdKind.PROJECT, "ID000"),
    (IdKind.PIN, "LK-PIN001"), (IdKind.PROPOSED_METHODOLOGY, "CR_AM002"), (IdKind.APPROVED_METHODOLOGY, "TH_AM16"),
])
def test_malformed_ids_are_refused(kind: IdKind, text: str) -> None:
    with pytest.raises(ValueError, match="is not a"):
        parse_id(kind, text)


def test_next_id_per_pair_never_reuses_numbers() -> None:
    existing = ["TH_PM001", "TH_PM007", "ID_PM010"]
    assert next_id(IdKind.PROPOSED_METHODOLOGY, "TH", existing) == "TH_PM008"
    assert next_id(IdKind.PROPOSED_METHODOLOGY, "MN", existing) == "MN_PM001"
    assert next_id(IdKind.PROJECT, "TH", [f"TH{n:03d}" for n in range(1, 1000)]) == "TH1000"
    assert next_id(IdKind.PIN, "GE", []) == "GE_PIN001"
    with pytest.raises(ValueError, match="is not a"):
        next_id(IdKind.PROJECT, "TH", ["TH007", "garbage"])
    for bad in ("JP", "th", "THA"):
        with pytest.raises(ValueError, match="partner code"):
            next_id(IdKind.PROJECT, bad, [])
    with pytest.raises(ValueError, match="from 1"):
        format_id(IdKind.PROJECT, "TH", 0)


def test_catalogue_ids_count_as_taken() -> None:
    from jcm.cycle.core.ids import ids_of_kind

    catalogue = ["MN_AM001", "MN_AM003", "TH_AM005", "MN_PM001", "not an id"]
    assert ids_of_kind(IdKind.APPROVED_METHODOLOGY, catalogue) == ("MN_AM001", "MN_AM003", "TH_AM005")
    assert ids_of_kind(IdKind.PROPOSED_METHODOLOGY, catalogue) == ("MN_PM001",)
    cycle: list[str] = []
    taken = [*cycle, *ids_of_kind(IdKind.APPROVED_METHODOLOGY, catalogue)]
    assert next_id(IdKind.APPROVED_METHODOLOGY, "MN", taken) == "MN_AM004"
    assert next_id(IdKind.APPROVED_METHODOLOGY, "MN", ["MN_AM007", *taken]) == "MN_AM008"


def test_versions() -> None:
    assert str(FIRST_VERSION) == "ver01.0"
    v2 = parse_version("ver02.0")
    assert str(v2.next_major()) == "ver03.0"  # TH_AM005 ver02.0 -> ver03.0
    assert str(parse_version("ver02.0").next_minor()) == "ver02.1"
    assert parse_version("ver02.1") > v2
    assert approved_methodology_label("TH_AM005", v2.next_major()) == "TH_AM005 ver03.0"
    for bad in ("ver2.0", "v02.0", "ver02", "ver00.0"):
        with pytest.raises(ValueError):
            parse_version(bad)
    with pytest.raises(ValueError):
        MethodologyVersion(100, 0)
    with pytest.raises(ValueError, match="no next minor"):
        MethodologyVersion(1, 9).next_minor()
