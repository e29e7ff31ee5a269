import pytest

from jcm.registry.core.errors import InvalidInput
from jcm.registry.core.identifiers import format_identifier, parse_identifier
from jcm.registry.core.serials import SerialRange


def test_identifier_round_trip_carries_article6_elements():
    text = format_identifier(
        approach="JCM_JP_ID",
        registry="JP",
        first_transferring_party="JP",
        project="ID001",
        vintage=2015,
        serials=SerialRange(1, 27),
    )
    assert text == "JCM_JP_ID-JP-JP-ID001-2015-1-27"
    uid = parse_identifier(text)
    assert (uid.approach, uid.registry, uid.first_transferring_party, uid.project, uid.vintage) == (
        "JCM_JP_ID",
        "JP",
        "JP",
        "ID001",
        2015,
    )
    assert uid.serials == SerialRange(1, 27)


@pytest.mark.parametrize(
    "bad",
    [
        "JCM-JP",
        "JCM_JP_ID-JP-JP-ID001-15-1-27",
        "JCM_JP_ID-JP-JP-ID001-2015-27-1",
        "jcm-JP-JP-ID001-2015-1-2",
    ],
)
def test_malformed_identifiers_are_refused(bad):
    with pytest.raises(InvalidInput):
        parse_identifier(bad)
