"""Domain errors of the accounts capability; each names the field at fault."""

from __future__ import annotations


class AccountsError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
