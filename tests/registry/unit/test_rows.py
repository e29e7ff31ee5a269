"""core.rows: the movement rows a transaction's ranges give, and how stored rows differ from them."""

from __future__ import annotations

from jcm.registry.core.rows import Issuances, Run, compare_runs

ISSUANCES = Issuances([(41, 100, "B"), (1, 40, "A"), (201, 210, "C")])


def test_runs_cut_at_issuances_and_merge_adjacent_pieces_of_one():
    assert ISSUANCES.runs([[3, 5], [6, 7]]) == [Run(3, 7, "A")]
    assert ISSUANCES.runs([[35, 50], [99, 100]]) == [Run(35, 40, "A"), Run(41, 50, "B"), Run(99, 100, "B")]
    assert ISSUANCES.runs([[95, 205]]) == [Run(95, 100, "B"), Run(101, 200, None), Run(201, 205, "C")]
    assert ISSUANCES.runs([[300, 301]]) == [Run(300, 301, None)]
    assert ISSUANCES.runs([[7, 3]]) == []


def test_compare_runs_names_the_row_and_what_differs():
    want = [Run(3, 7, "A")]
    assert compare_runs([(9, Run(3, 7, "A"))], want) is None
    assert compare_runs([], want) == (None, "no row for serials 3-7 of issuance A")
    assert compare_runs([(9, Run(3, 6, "A"))], want) == (
        9, "serials 3-6 of issuance A, but its ranges give serials 3-7 of issuance A"
    )
    assert compare_runs([(9, Run(3, 7, "A")), (10, Run(20, 22, "A"))], want) == (
        10, "serials 20-22 of issuance A, not in its ranges"
    )
    assert compare_runs([(9, Run(3, 7, "A")), (10, Run(3, 7, "A"))], want) == (
        10, "serials 3-7 of issuance A, a second row for them"
    )
