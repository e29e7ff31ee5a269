"""Look up methodologies by JCM ID."""

from __future__ import annotations

from jcm.mrv.core.errors import UnknownMethodology
from jcm.mrv.core.methodologies import ALL
from jcm.mrv.core.spec import Methodology

_BY_ID: dict[str, Methodology] = {m.jcm_id: m for m in ALL}
assert len(_BY_ID) == len(ALL), "duplicate JCM ID among shipped methodologies"


def list_methodologies() -> tuple[Methodology, ...]:
    """Every shipped methodology, sorted by JCM ID."""
    return tuple(_BY_ID[k] for k in sorted(_BY_ID))


def get_methodology(jcm_id: str) -> Methodology:
    """The methodology with this JCM ID (case-insensitive). Raises UnknownMethodology."""
    found = _BY_ID.get(jcm_id.strip().upper())
    if found is None:
        raise UnknownMethodology(jcm_id, tuple(sorted(_BY_ID)))
    return found
