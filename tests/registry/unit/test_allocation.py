import pytest
from hypothesis import given
from hypothesis import strategies as st

from jcm.registry.core.allocation import AllocationRule, Share, allocate, percent_to_basis_points
from jcm.registry.core.errors import InvalidInput


def shares(*pairs):
    return [Share(p, percent_to_basis_points(pct)) for p, pct in pairs]


@pytest.mark.parametrize("rule", list(AllocationRule))
@pytest.mark.parametrize(
    "percentages",
    [("67.5", "10", "22.5"), ("67", "10", "23")],
)
def test_first_jcm_issuance_40_credits_go_27_4_9(rule, percentages):
    """Indonesia, May 2016: 40 t; Government of Japan 27, Mayekawa 4, Indonesian side 9."""
    result = allocate(
        40,
        shares(("GoJ", percentages[0]), ("Mayekawa", percentages[1]), ("Indonesia", percentages[2])),
        rule=rule,
        designated="GoJ",
    )
    assert result == [("GoJ", 27), ("Mayekawa", 4), ("Indonesia", 9)]


def test_ties_go_to_the_party_declared_first():
    # 10 credits in thirds: 3.33 each, one left over, equal remainders -> first declared.
    three = [Share("A", 3334), Share("B", 3333), Share("C", 3333)]
    assert allocate(10, three) == [("A", 4), ("B", 3), ("C", 3)]
    assert allocate(10, [Share("B", 3333), Share("A", 3334), Share("C", 3333)]) == [
        ("B", 3),
        ("A", 4),
        ("C", 3),
    ]
    halves = [Share("X", 5000), Share("Y", 5000)]
    assert allocate(1, halves) == [("X", 1), ("Y", 0)]


def test_remainder_to_designated_party():
    assert allocate(
        355,
        shares(("GoJ", "50"), ("PP", "50")),
        rule=AllocationRule.REMAINDER_TO_DESIGNATED,
        designated="GoJ",
    ) == [("GoJ", 178), ("PP", 177)]
    with pytest.raises(InvalidInput):
        allocate(3, shares(("A", "50"), ("B", "50")), rule=AllocationRule.REMAINDER_TO_DESIGNATED)


def test_shares_must_sum_to_100_percent():
    with pytest.raises(InvalidInput, match="sum"):
        allocate(10, shares(("A", "50"), ("B", "49.99")))


def test_percentages_are_parsed_exactly():
    assert percent_to_basis_points("67.5") == 6750
    assert percent_to_basis_points("22.50%") == 2250
    with pytest.raises(InvalidInput):
        percent_to_basis_points("1.005")


@given(
    quantity=st.integers(0, 10**9),
    weights=st.lists(st.integers(0, 100), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
    rule=st.sampled_from(list(AllocationRule)),
)
def test_allocation_is_whole_complete_and_close_to_the_quota(quantity, weights, rule):
    # Build basis points summing to 10000 from arbitrary weights.
    bps = [w * 10_000 // sum(weights) for w in weights]
    bps[0] += 10_000 - sum(bps)
    parties = [Share(f"P{i}", bp) for i, bp in enumerate(bps)]
    result = allocate(quantity, parties, rule=rule, designated="P0")
    assert sum(q for _, q in result) == quantity
    for (_, q), s in zip(result, parties, strict=True):
        floor = quantity * s.basis_points // 10_000
        if rule is AllocationRule.LARGEST_REMAINDER:
            assert floor <= q <= floor + 1
        elif s.party != "P0":
            assert q == floor
