"""An ad group the compiler left out of the auction (code revoked, back in review) is not
delivering for that reason at once, even if it won requests earlier in the 24-hour window."""

from __future__ import annotations

from collections import Counter

import pytest

from sparkads.delivery.reasons import Excluded, NotServed
from sparkads.services.delivery_status import DELIVERING, NOT_DELIVERING, _delivery


@pytest.mark.parametrize(
    ("excluded", "secondary"),
    [
        (Excluded.AUTHORIZATION_REVOKED, "ADGROUP_STATUS_ASSET_AUTHORIZATION_LOST"),
        (Excluded.IN_REVIEW, "ADGROUP_STATUS_AUDIT"),
    ],
)
def test_an_excluded_ad_group_served_today_is_not_delivering(
    excluded: Excluded, secondary: str
) -> None:
    counts = Counter({NotServed.SERVED: 40, NotServed.OUTBID: 3})
    delivery = _delivery(counts, 100, excluded, None)
    assert (delivery.state, delivery.reason) == (NOT_DELIVERING, excluded)
    assert delivery.served == 40
    assert delivery.secondary("ADGROUP_STATUS_DELIVERY_OK") == secondary
    assert delivery.primary == "STATUS_NOT_DELIVERY"


def test_an_ad_group_in_the_auction_that_served_is_delivering() -> None:
    counts = Counter({NotServed.SERVED: 40, NotServed.OUTBID: 3})
    assert _delivery(counts, 100, None, None).state == DELIVERING
