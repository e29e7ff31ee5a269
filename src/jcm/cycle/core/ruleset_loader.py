"""Load and validate rule-set files (``data/rulesets/*.yaml``).

One file per rule-set version; the file name (without ``.yaml``) is the rule set's ``id``. A file
may ``extends:`` another rule set: sections (calendar, deadlines, features, forms, steps,
parameters, documents) are merged key by key, anything else is replaced. After merging, every
deadline key, feature, step and parameter must be stated, so a gap in a file is a loud error and
not a silent default.

Every problem is reported with the file, the line (when the key is in a file) and the key path;
all problems of a load are collected into one :class:`RuleSetError`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from jcm.cycle.core.errors import RuleSetError, RuleSetProblem
from jcm.cycle.core.ruleset_fields import (
    Path_,
    has_path,
    line_of,
)
from jcm.cycle.core.ruleset_parse import TOP_KEYS as TOP_KEYS
from jcm.cycle.core.ruleset_parse import parse_merged
from jcm.cycle.core.rulesets import (
    RuleSet,
    RuleSetCatalogue,
)

#: Sections merged key by key with the rule set a file extends.
MERGED_SECTIONS: frozenset[str] = frozenset({
    "calendar", "deadlines", "features", "forms", "steps", "parameters", "documents",
})
#: Keys a file never inherits: they describe this version itself.
OWN_KEYS: frozenset[str] = frozenset({
    "id", "partner", "version", "effective_from", "effective_from_confidence", "title", "extends",
    "sources", "notes",
})


@dataclass
class _Source:
    """One parsed file: its raw mapping and its node tree (for line numbers)."""

    file: str
    data: dict[str, Any]
    node: yaml.Node | None


@dataclass
class _Problems:
    items: list[RuleSetProblem] = field(default_factory=list)

    def add(self, file: str, path: Path_, reason: str, line: int | None) -> None:
        self.items.append(RuleSetProblem(file=file, key=".".join(path), reason=reason, line=line))


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in parent.items() if k not in OWN_KEYS}
    for key, value in child.items():
        if key in MERGED_SECTIONS and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _read_source(file: str, text: str, problems: _Problems) -> _Source | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or str(error)
        problems.add(file, (), f"not valid YAML: {reason}", line)
        return None
    if not isinstance(data, dict):
        problems.add(file, (), "the file must hold one mapping (key: value lines)", 1)
        return None
    return _Source(file=file, data=data, node=node)


def _digest(data: Mapping[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_rule_sets_from_texts(files: Mapping[str, str]) -> RuleSetCatalogue:
    """Parse rule-set files given as ``{file name: YAML text}``; raise RuleSetError listing every problem."""
    problems = _Problems()
    sources: dict[str, _Source] = {}
    for name in sorted(files):
        if not name.endswith(".yaml"):
            problems.add(name, (), "a rule-set file name ends in .yaml", None)
            continue
        source = _read_source(name, files[name], problems)
        if source is None:
            continue
        stem = name.rsplit("/", 1)[-1].removesuffix(".yaml")
        if stem in sources:
            problems.add(name, ("id",), f"the id {stem!r} is used by {sources[stem].file} too", None)
            continue
        sources[stem] = source

    rule_sets: list[RuleSet] = []
    for stem, source in sources.items():
        chain = [source]
        seen = {stem}
        parent_id = source.data.get("extends")
        broken = False
        while parent_id is not None:
            if not isinstance(parent_id, str) or parent_id not in sources:
                problems.add(
                    chain[-1].file, ("extends",), f"extends {parent_id!r}, which is not a rule-set file here",
                    line_of(chain[-1].node, ("extends",)),
                )
                broken = True
                break
            if parent_id in seen:
                problems.add(
                    source.file, ("extends",), f"extends forms a cycle through {parent_id!r}",
                    line_of(source.node, ("extends",)),
                )
                broken = True
                break
            seen.add(parent_id)
            chain.append(sources[parent_id])
            parent_id = sources[parent_id].data.get("extends")
        if broken:
            continue
        merged: dict[str, Any] = {}
        for link in reversed(chain):
            merged = _merge(merged, link.data)
        rule_set, bad = parse_merged(merged, stem, source.file, _digest(merged))
        for item in bad:
            # Report the problem in the file that states the merged unit (a section entry or a top-level key).
            unit = item.path[:2] if item.path[:1] and item.path[0] in MERGED_SECTIONS else item.path[:1]
            where = next((link for link in chain if has_path(link.data, unit)), source)
            problems.add(where.file, item.path, item.reason, line_of(where.node, item.path))
        if rule_set is not None:
            rule_sets.append(rule_set)

    _check_versions(rule_sets, sources, problems)
    if problems.items:
        raise RuleSetError(problems.items)
    return RuleSetCatalogue(rule_sets=tuple(sorted(rule_sets, key=lambda r: (r.partner or "", r.effective_from))))


def _check_versions(rule_sets: list[RuleSet], sources: dict[str, _Source], problems: _Problems) -> None:
    """Per pair (or default generation): version numbers unique and rising with the effective date."""
    groups: dict[tuple[str | None, str | None], list[RuleSet]] = {}
    for rule_set in rule_sets:
        key = (rule_set.partner, None if rule_set.partner else rule_set.generation.value)
        groups.setdefault(key, []).append(rule_set)
    for group in groups.values():
        ordered = sorted(group, key=lambda r: (r.version, r.effective_from))
        for earlier, later in pairwise(ordered):
            if later.version == earlier.version:
                reason = f"version {later.version} is also {earlier.id}"
            elif later.effective_from <= earlier.effective_from:
                reason = (
                    f"version {later.version} must take effect after version {earlier.version} "
                    f"({earlier.id}, {earlier.effective_from.isoformat()})"
                )
            else:
                continue
            node = sources[later.id].node if later.id in sources else None
            problems.add(later.file, ("version",), reason, line_of(node, ("version",)))


def load_rule_sets(directory: Path) -> RuleSetCatalogue:
    """Load every ``*.yaml`` in ``directory`` (``data/rulesets``); raise RuleSetError on bad data."""
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.yaml"))}
    if not files:
        raise RuleSetError([RuleSetProblem(file=str(directory), key="", reason="no rule-set files (*.yaml) found")])
    return load_rule_sets_from_texts(files)
