"""Errors of the cycle core.

State-machine refusals are values (:class:`jcm.cycle.core.machine.Refused`), not exceptions. The
exceptions here are for bad configuration: a rule-set file that does not parse or validate, or a
lookup for a rule set that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuleSetProblem:
    """One thing wrong in one rule-set file: where (file, line if known, key path) and why."""

    file: str
    key: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = f" [{self.key}]" if self.key else ""
        return f"{where}{key}: {self.reason}"


class RuleSetError(ValueError):
    """Rule-set data is invalid. ``problems`` lists every problem found, each naming file and key."""

    def __init__(self, problems: list[RuleSetProblem] | tuple[RuleSetProblem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid rule-set data:\n" + "\n".join(f"  {p}" for p in self.problems))


class RuleSetNotFound(LookupError):
    """No rule set is in force for the pair on the date asked (or no rule set has the id asked)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
