"""The unique identifier of a block of credits, carrying the Article 6 elements.

Format (fields separated by ``-``)::

    {approach}-{registry}-{first_transferring_party}-{project}-{vintage}-{first_serial}-{last_serial}

    JCM_JP_ID-JP-JP-ID001-2015-1-27

* ``approach``: the cooperative approach (the JCM of one country pair), upper-case letters, digits
  and ``_`` (e.g. ``JCM_JP_ID``; replace by the CARP identifier once assigned);
* ``registry``: the originating registry (where the credits were issued), e.g. ``JP`` or ``ID``;
* ``first_transferring_party``: ISO 3166 alpha-2 code of the Party that authorises and first
  transfers, e.g. ``JP``;
* ``project``: the JCM project reference, e.g. ``ID001``;
* ``vintage``: the year of the emission reductions (4 digits);
* ``first_serial``, ``last_serial``: the inclusive integer serial range, in decimal without padding.

Serials are unique across the platform, so the serial range alone names credits; the other fields
are there so the identifier is self-describing for Article 6 reporting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InvalidInput
from .messages import N_, Message
from .serials import SerialRange

_CODE = r"[A-Z0-9]+(?:_[A-Z0-9]+)*"
_PATTERN = re.compile(
    rf"^(?P<approach>{_CODE})-(?P<registry>{_CODE})-(?P<ftp>[A-Z]{{2}})-(?P<project>{_CODE})"
    rf"-(?P<vintage>\d{{4}})-(?P<start>[1-9]\d*)-(?P<end>[1-9]\d*)$"
)
_CODE_RE = re.compile(rf"^{_CODE}$")


@dataclass(frozen=True, slots=True)
class UniqueIdentifier:
    approach: str
    registry: str
    first_transferring_party: str
    project: str
    vintage: int
    serials: SerialRange

    def __post_init__(self) -> None:
        check_elements(
            approach=self.approach,
            registry=self.registry,
            first_transferring_party=self.first_transferring_party,
            project=self.project,
            vintage=self.vintage,
        )

    def __str__(self) -> str:
        return (
            f"{self.approach}-{self.registry}-{self.first_transferring_party}-{self.project}"
            f"-{self.vintage}-{self.serials.start}-{self.serials.end}"
        )


def check_elements(
    *, approach: str, registry: str, first_transferring_party: str, project: str, vintage: int
) -> None:
    """Refuse (InvalidInput naming the field) any element a unique identifier could not carry.

    Checked where the elements enter the ledger (the JC notification and the issuance that executes
    it), so that every block issued can be named; ``format_identifier`` checks them again."""
    for name, value in (("approach", approach), ("registry", registry), ("project", project)):
        if not isinstance(value, str) or not _CODE_RE.match(value):
            raise InvalidInput(
                Message(N_("%(name)s %(value)s must be upper-case letters, digits and _"), name=name, value=repr(value)),
                field=name,
            )
    if not isinstance(first_transferring_party, str) or not re.fullmatch(r"[A-Z]{2}", first_transferring_party):
        raise InvalidInput(
            N_("first_transferring_party must be an ISO 3166 alpha-2 code"), field="first_transferring_party"
        )
    if isinstance(vintage, bool) or not isinstance(vintage, int) or not 1000 <= vintage <= 9999:
        raise InvalidInput(Message(N_("vintage %(vintage)s must be a four-digit year"), vintage=vintage), field="vintage")


def format_identifier(
    *,
    approach: str,
    registry: str,
    first_transferring_party: str,
    project: str,
    vintage: int,
    serials: SerialRange,
) -> str:
    return str(UniqueIdentifier(approach, registry, first_transferring_party, project, vintage, serials))


def parse_identifier(text: str) -> UniqueIdentifier:
    m = _PATTERN.match(text.strip())
    if not m:
        raise InvalidInput(Message(N_("%(text)s is not a JCM unique identifier"), text=repr(text)))
    return UniqueIdentifier(
        approach=m["approach"],
        registry=m["registry"],
        first_transferring_party=m["ftp"],
        project=m["project"],
        vintage=int(m["vintage"]),
        serials=SerialRange(int(m["start"]), int(m["end"])),
    )
