"""Identifier formats of the cycle (jcm-rules.md §2.1-§2.3, §9.3) and next-ID allocation.

- proposed methodology ``<CC>_PM<nnn>`` (CR_PM002)
- approved methodology ``<CC>_AM<nnn>`` with version ``verNN.N`` (TH_AM005 ver03.0)
- Project Idea Note ``<CC>_PIN<nnn>`` (LK_PIN001)
- registered project ``<CC><nnn>`` (SA001, ID009)

Numbers are per pair, at least three digits, never reused: the next number is one more than the
highest ever allocated in that pair for that kind (withdrawn and rejected ones included, so pass
them all, and the reference catalogue's too: see :func:`ids_of_kind`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class IdKind(StrEnum):
    PROPOSED_METHODOLOGY = "proposed_methodology"
    APPROVED_METHODOLOGY = "approved_methodology"
    PIN = "pin"
    PROJECT = "project"


_PATTERNS: dict[IdKind, re.Pattern[str]] = {
    IdKind.PROPOSED_METHODOLOGY: re.compile(r"^(?P<cc>[A-Z]{2})_PM(?P<n>\d{3,})$"),
    IdKind.APPROVED_METHODOLOGY: re.compile(r"^(?P<cc>[A-Z]{2})_AM(?P<n>\d{3,})$"),
    IdKind.PIN: re.compile(r"^(?P<cc>[A-Z]{2})_PIN(?P<n>\d{3,})$"),
    IdKind.PROJECT: re.compile(r"^(?P<cc>[A-Z]{2})(?P<n>\d{3,})$"),
}
_FORMATS: dict[IdKind, str] = {
    IdKind.PROPOSED_METHODOLOGY: "{cc}_PM{n:03d}",
    IdKind.APPROVED_METHODOLOGY: "{cc}_AM{n:03d}",
    IdKind.PIN: "{cc}_PIN{n:03d}",
    IdKind.PROJECT: "{cc}{n:03d}",
}
_PARTNER = re.compile(r"^[A-Z]{2}$")
_VERSION = re.compile(r"^ver(?P<major>\d{2})\.(?P<minor>\d)$")


@dataclass(frozen=True, slots=True, order=True)
class CycleId:
    kind: IdKind
    partner: str
    number: int

    def __str__(self) -> str:
        return _FORMATS[self.kind].format(cc=self.partner, n=self.number)


def _check_partner(partner: str) -> None:
    if not _PARTNER.match(partner) or partner == "JP":
        raise ValueError(f"a partner code is two upper-case letters other than JP, got {partner!r}")


def format_id(kind: IdKind, partner: str, number: int) -> str:
    """The identifier text, e.g. ``format_id(IdKind.PIN, "LK", 1) == "LK_PIN001"``."""
    _check_partner(partner)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"an identifier number is a whole number from 1, got {number!r}")
    return str(CycleId(kind, partner, number))


def parse_id(kind: IdKind, text: str) -> CycleId:
    """Parse an identifier of ``kind``; ValueError naming the expected format otherwise."""
    match = _PATTERNS[kind].match(text)
    if match is None or match["cc"] == "JP" or int(match["n"]) < 1:
        example = _FORMATS[kind].format(cc="CC", n=1).replace("001", "nnn")
        raise ValueError(f"{text!r} is not a {kind.value.replace('_', ' ')} identifier ({example})")
    return CycleId(kind, match["cc"], int(match["n"]))


def next_id(kind: IdKind, partner: str, existing: Iterable[str]) -> str:
    """The next identifier of ``kind`` in the pair: one above the highest of ``existing`` in that pair.

    ``existing`` may hold identifiers of other pairs (ignored); a malformed one raises ValueError,
    because silently skipping it could hand out a number twice.
    """
    _check_partner(partner)
    highest = 0
    for text in existing:
        parsed = parse_id(kind, text)
        if parsed.partner == partner:
            highest = max(highest, parsed.number)
    return format_id(kind, partner, highest + 1)


def ids_of_kind(kind: IdKind, texts: Iterable[str]) -> tuple[str, ...]:
    """The identifiers of ``kind`` among ``texts`` (others skipped), e.g. the approved-methodology IDs of
    a catalogue that also lists other things. Pass them to :func:`next_id` with the cycle's own, so
    that a number taken in the catalogue is never handed out again."""
    out: list[str] = []
    for text in texts:
        try:
            parse_id(kind, text.strip())
        except ValueError:
            continue
        out.append(text.strip())
    return tuple(out)


@dataclass(frozen=True, slots=True, order=True)
class MethodologyVersion:
    """A document version ``verNN.N``; revisions of an approved methodology bump the major number."""

    major: int
    minor: int = 0

    def __post_init__(self) -> None:
        if not (0 <= self.major <= 99 and 0 <= self.minor <= 9) or (self.major, self.minor) == (0, 0):
            raise ValueError(f"a version is ver01.0 to ver99.9, got major {self.major}, minor {self.minor}")

    def __str__(self) -> str:
        return f"ver{self.major:02d}.{self.minor}"

    def next_major(self) -> MethodologyVersion:
        """The version a revision creates: TH_AM005 ver02.0 → ver03.0."""
        return MethodologyVersion(self.major + 1, 0)

    def next_minor(self) -> MethodologyVersion:
        """An editorial revision (ver02.0 → ver02.1), as seen on forms such as Vrf_Rep ver02.1."""
        if self.minor == 9:
            raise ValueError(f"{self} has no next minor version")
        return MethodologyVersion(self.major, self.minor + 1)


FIRST_VERSION = MethodologyVersion(1, 0)


def parse_version(text: str) -> MethodologyVersion:
    """Parse ``verNN.N`` (e.g. ``ver02.0``); ValueError otherwise."""
    match = _VERSION.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a version (verNN.N, e.g. ver01.0)")
    return MethodologyVersion(int(match["major"]), int(match["minor"]))


def approved_methodology_label(am_id: str, version: MethodologyVersion) -> str:
    """``"TH_AM005 ver03.0"``: an approved methodology with its version."""
    parse_id(IdKind.APPROVED_METHODOLOGY, am_id)
    return f"{am_id} {version}"
