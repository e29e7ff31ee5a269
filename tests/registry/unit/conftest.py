import pytest

from jcm.registry.core import AccountKind, Book

T0 = "2026-01-15T09:00:00+00:00"


def make_book() -> Book:
    """Japan's and Indonesia's registries on one system, each with its accounts."""
    book = Book()
    book.create_registry("JP", party="JP", at=T0)
    book.create_registry("ID", party="ID", at=T0)
    for number, reg, kind in [
        ("JP-GOV", "JP", AccountKind.GOVERNMENT_HOLDING),
        ("JP-MAYEKAWA", "JP", AccountKind.ENTITY_HOLDING),
        ("JP-BUYER", "JP", AccountKind.ENTITY_HOLDING),
        ("JP-CANCEL", "JP", AccountKind.CANCELLATION),
        ("JP-RETIRE", "JP", AccountKind.RETIREMENT),
        ("ID-GOV", "ID", AccountKind.GOVERNMENT_HOLDING),
        ("ID-PP", "ID", AccountKind.ENTITY_HOLDING),
        ("ID-CANCEL", "ID", AccountKind.CANCELLATION),
        ("ID-RETIRE", "ID", AccountKind.RETIREMENT),
    ]:
        book.open_account(number, registry=reg, kind=kind, at=T0)
    return book


@pytest.fixture
def book() -> Book:
    return make_book()
