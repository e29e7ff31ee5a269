"""Double registration: same site within the tolerance, or shared equipment identifiers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jcm.cycle.core.double_registration import ProjectRecord, Site, distance_m, find_double_registration

SITE = Site(Decimal("47.9184"), Decimal("106.9177"), "boiler house")
NEAR = Site(Decimal("47.9190"), Decimal("106.9177"))  # about 67 m north
FAR = Site(Decimal("47.9300"), Decimal("106.9177"))  # about 1.3 km north


def test_distance() -> None:
    assert 60 < distance_m(SITE, NEAR) < 70
    assert distance_m(SITE, SITE) == 0


def test_hits_are_explained_and_ordered() -> None:
    candidate = ProjectRecord("MN_PIN004", "MN", (SITE,), frozenset({"INV-2024-0001", "M 77"}))
    others = [
        ProjectRecord("MN009", "MN", (FAR,), frozenset({"inv 2024 0001"})),
        ProjectRecord("MN003", "MN", (NEAR,), frozenset()),
        ProjectRecord("MN_PIN004", "MN", (SITE,), frozenset({"INV-2024-0001"})),  # itself
        ProjectRecord("MN010", "MN", (FAR,), frozenset({"X-1"})),
    ]
    hits = find_double_registration(candidate, others, tolerance_m=Decimal(100))
    assert [(h.other, h.kind) for h in hits] == [("MN003", "site"), ("MN009", "equipment")]
    assert hits[0].explanation == (
        "site 47.9184, 106.9177 (boiler house) is 67 m from MN003's site 47.9190, 106.9177 (tolerance 100 m)")
    assert hits[1].explanation == "equipment identifiers shared with MN009: INV-2024-0001"
    assert find_double_registration(candidate, others[1:2], tolerance_m=Decimal(50)) == ()


def test_coordinates_are_checked() -> None:
    with pytest.raises(ValueError, match="latitude"):
        Site(Decimal(91), Decimal(0))
    with pytest.raises(ValueError, match="longitude"):
        Site(Decimal(0), Decimal(-181))
