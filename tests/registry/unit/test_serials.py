import pytest

from jcm.registry.core.errors import InvalidInput
from jcm.registry.core.serials import SerialRange, first_overlap, normalise


def test_ranges_are_inclusive():
    assert SerialRange(1, 40).quantity == 40
    assert SerialRange(7, 7).quantity == 1


@pytest.mark.parametrize("start,end", [(0, 5), (5, 4), (True, 3)])
def test_bad_ranges_are_refused(start, end):
    with pytest.raises(InvalidInput):
        SerialRange(start, end)


def test_floats_are_refused():
    with pytest.raises(InvalidInput):
        SerialRange(1.0, 3)  # type: ignore[arg-type]


def test_split_is_deterministic_and_ascending():
    assert SerialRange(1, 40).split(SerialRange(10, 19)) == (
        SerialRange(1, 9),
        SerialRange(10, 19),
        SerialRange(20, 40),
    )
    assert SerialRange(1, 40).split(SerialRange(1, 40)) == (None, SerialRange(1, 40), None)
    with pytest.raises(InvalidInput):
        SerialRange(1, 40).split(SerialRange(30, 41))


def test_normalise_merges_adjacent_and_refuses_overlap():
    assert normalise([SerialRange(5, 9), SerialRange(1, 4)]) == [SerialRange(1, 9)]
    with pytest.raises(InvalidInput):
        normalise([SerialRange(1, 5), SerialRange(5, 9)])
    assert first_overlap([SerialRange(10, 20), SerialRange(1, 10)]) == (
        SerialRange(1, 10),
        SerialRange(10, 20),
    )
