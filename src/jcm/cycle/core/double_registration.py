"""Double registration within the platform (jcm-rules.md §4.1).

Participants attest that the project is registered in no other mechanism; the platform also checks
its own records: another project with a site within ``tolerance_m`` metres, or sharing an
equipment identifier (serial number, meter id...), is a hit. Each hit carries an explanation for
the JC. Identifiers are compared after trimming and upper-casing, and ignoring spaces and hyphens.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jcm.cycle.core.messages import N_, Message

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


@dataclass(frozen=True, slots=True)
class Site:
    latitude: Decimal
    longitude: Decimal
    label: str = ""

    def __post_init__(self) -> None:
        if not (Decimal(-90) <= self.latitude <= Decimal(90)):
            raise ValueError(f"a latitude is between -90 and 90, got {self.latitude}")
        if not (Decimal(-180) <= self.longitude <= Decimal(180)):
            raise ValueError(f"a longitude is between -180 and 180, got {self.longitude}")


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    """What the check needs of a project: its key (ID or PIN or internal id), sites and equipment."""

    key: str
    partner_code: str
    sites: tuple[Site, ...] = ()
    equipment_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class DoubleRegistrationHit:
    other: str
    kind: str  # "site" or "equipment"
    explanation: str


def distance_m(a: Site, b: Site) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def normalise_equipment_id(text: str) -> str:
    return "".join(ch for ch in text.strip().upper() if ch not in " -")


def find_double_registration(
    candidate: ProjectRecord,
    others: Iterable[ProjectRecord],
    *,
    tolerance_m: Decimal,
) -> tuple[DoubleRegistrationHit, ...]:
    """Hits of ``candidate`` against ``others`` (the candidate itself is skipped), in a stable order."""
    hits: list[DoubleRegistrationHit] = []
    mine = {normalise_equipment_id(e): e for e in candidate.equipment_ids if normalise_equipment_id(e)}
    for other in sorted(others, key=lambda r: r.key):
        if other.key == candidate.key:
            continue
        for site in candidate.sites:
            for there in other.sites:
                metres = distance_m(site, there)
                if metres <= float(tolerance_m):
                    here_label = f" ({site.label})" if site.label else ""
                    there_label = f" ({there.label})" if there.label else ""
                    explanation = Message(
                        N_("site %(here)s is %(metres)s m from %(other)s's site %(there)s (tolerance %(tolerance)s m)"),
                        here=f"{site.latitude}, {site.longitude}{here_label}", metres=f"{metres:.0f}",
                        other=other.key, there=f"{there.latitude}, {there.longitude}{there_label}",
                        tolerance=tolerance_m)
                    hits.append(DoubleRegistrationHit(other=other.key, kind="site", explanation=explanation))
        theirs = {normalise_equipment_id(e) for e in other.equipment_ids}
        shared = sorted(mine[n] for n in mine if n in theirs)
        if shared:
            hits.append(
                DoubleRegistrationHit(
                    other=other.key,
                    kind="equipment",
                    explanation=Message(N_("equipment identifiers shared with %(other)s: %(identifiers)s"),
                                        other=other.key, identifiers=", ".join(shared)),
                )
            )
    return tuple(hits)
