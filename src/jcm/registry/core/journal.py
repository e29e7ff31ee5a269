"""The hash-chained journal.

Each entry's content is ``{"sequence", "kind", "occurred_at", "payload"}``. Its hash is

    sha256( prev_hash (64 lower-case hex chars, ASCII) || canonical_json(content) )

where the first entry's ``prev_hash`` is 64 zeros and ``canonical_json`` is JSON with keys sorted,
no insignificant whitespace (separators ``,`` and ``:``), UTF-8 without ``\\u`` escapes for
non-ASCII, and no floats (credits, serials and years are integers; dates and times are ISO strings).
A checkpoint is the pair ``(sequence, hash)`` of an entry: publishing it fixes everything before it.

The public export is JSON lines: one ``{"type": "entry", ...}`` object per entry, in sequence
order, and ``{"type": "checkpoint", "sequence", "hash", "created_at"}`` lines for checkpoints (with
``"signature"`` when the registry signs its checkpoints, see ``core.signing``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput
from .messages import N_, Message

GENESIS_HASH = "0" * 64


def _reject_floats(value: Any, path: str = "$") -> None:
    if isinstance(value, float):
        raise InvalidInput(Message(N_("%(path)s: floats are not allowed in journal content"), path=path))
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise InvalidInput(Message(N_("%(path)s: keys must be strings"), path=path))
            _reject_floats(v, f"{path}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _reject_floats(v, f"{path}[{i}]")


def canonical_json(value: Any) -> bytes:
    _reject_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(prev_hash: str, sequence: int, kind: str, occurred_at: str, payload: dict[str, Any]) -> str:
    content = {"sequence": sequence, "kind": kind, "occurred_at": occurred_at, "payload": payload}
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(content)).hexdigest()


@dataclass(frozen=True, slots=True)
class JournalEntry:
    sequence: int
    kind: str
    occurred_at: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "entry",
            "sequence": self.sequence,
            "kind": self.kind,
            "occurred_at": self.occurred_at,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True, slots=True)
class Checkpoint:
    sequence: int
    hash: str
    created_at: str = ""
    signature: str = ""  # Ed25519 over (sequence, hash), hex (``core.signing``); "" when unsigned

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "checkpoint",
            "sequence": self.sequence,
            "hash": self.hash,
            "created_at": self.created_at,
        }
        if self.signature:
            out["signature"] = self.signature
        return out


def next_entry(prev: JournalEntry | None, *, kind: str, occurred_at: str, payload: dict[str, Any]) -> JournalEntry:
    return chain_entry(
        prev_sequence=prev.sequence if prev else 0,
        prev_hash=prev.hash if prev else GENESIS_HASH,
        kind=kind,
        occurred_at=occurred_at,
        payload=payload,
    )


def chain_entry(
    *, prev_sequence: int, prev_hash: str, kind: str, occurred_at: str, payload: dict[str, Any]
) -> JournalEntry:
    seq = prev_sequence + 1
    return JournalEntry(
        seq, kind, occurred_at, payload, prev_hash, entry_hash(prev_hash, seq, kind, occurred_at, payload)
    )


def to_json_line(item: JournalEntry | Checkpoint) -> str:
    return canonical_json(item.to_json()).decode("utf-8")


def read_jsonl(lines: Iterable[str]) -> Iterator[JournalEntry | Checkpoint]:
    """Parse an export; raises InvalidInput naming the line of the first malformed item."""
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(Message(N_("line %(lineno)s: not JSON (%(msg)s)"), lineno=lineno, msg=exc.msg)) from exc
        if not isinstance(obj, dict):
            raise InvalidInput(Message(N_("line %(lineno)s: not a JSON object"), lineno=lineno))
        try:
            if obj.get("type") == "checkpoint":
                yield Checkpoint(
                    _as_int(obj["sequence"]),
                    _as_str(obj["hash"]),
                    _as_str(obj.get("created_at", "")),
                    _as_str(obj.get("signature", "")),
                )
            elif obj.get("type") == "entry":
                payload = obj["payload"]
                if not isinstance(payload, dict):
                    raise TypeError("payload")
                yield JournalEntry(
                    _as_int(obj["sequence"]),
                    _as_str(obj["kind"]),
                    _as_str(obj["occurred_at"]),
                    payload,
                    _as_str(obj["prev_hash"]),
                    _as_str(obj["hash"]),
                )
            else:
                raise InvalidInput(
                    Message(N_("line %(lineno)s: unknown type %(type)s"), lineno=lineno, type=repr(obj.get("type")))
                )
        except (KeyError, TypeError) as exc:
            raise InvalidInput(
                Message(N_("line %(lineno)s: missing or malformed field %(exc)s"), lineno=lineno, exc=exc)
            ) from exc


def _as_int(v: object) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError("integer expected")
    return v


def _as_str(v: object) -> str:
    if not isinstance(v, str):
        raise TypeError("string expected")
    return v
