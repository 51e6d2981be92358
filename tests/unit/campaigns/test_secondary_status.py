"""Secondary statuses in TikTok's names: a deleted level (the object, then its campaign, then its
ad group) before a disabled one, then review, the Spark asset and the schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sparkads.campaigns.status import Window, ad_status, adgroup_status

NOW = datetime(2026, 1, 1)
RUNNING = Window(NOW - timedelta(days=1), None)
NOT_STARTED = Window(NOW + timedelta(days=1), None)
ENDED = Window(NOW - timedelta(days=2), NOW - timedelta(days=1))


@pytest.mark.parametrize(
    ("own", "adgroup", "campaign", "expected"),
    [
        ("ENABLE", "ENABLE", "ENABLE", "AD_STATUS_DELIVERY_OK"),
        ("DISABLE", "DELETE", "ENABLE", "AD_STATUS_ADGROUP_DELETE"),
        ("ENABLE", "DELETE", "DELETE", "AD_STATUS_CAMPAIGN_DELETE"),
        ("DELETE", "DELETE", "DELETE", "AD_STATUS_DELETE"),
        ("ENABLE", "DISABLE", "DISABLE", "AD_STATUS_CAMPAIGN_DISABLE"),
        ("DISABLE", "DISABLE", "ENABLE", "AD_STATUS_DISABLE"),
        ("ENABLE", "DISABLE", "ENABLE", "AD_STATUS_ADGROUP_DISABLE"),
    ],
)
def test_an_ad_stopped_at_some_level(own: str, adgroup: str, campaign: str, expected: str) -> None:
    assert ad_status(own, adgroup, campaign, RUNNING, NOW, asset_lost=True) == (
        expected if expected != "AD_STATUS_DELIVERY_OK" else "AD_STATUS_ASSET_AUTHORIZATION_LOST"
    )
    assert ad_status(own, adgroup, campaign, RUNNING, NOW, asset_lost=False) == expected


def test_an_enabled_ad_by_review_and_schedule() -> None:
    on = ("ENABLE", "ENABLE", "ENABLE")
    assert ad_status(*on, RUNNING, NOW, True, review="AD_STATUS_AUDIT") == "AD_STATUS_AUDIT"
    assert ad_status(*on, NOT_STARTED, NOW, False) == "AD_STATUS_NOT_START"
    assert ad_status(*on, ENDED, NOW, False) == "AD_STATUS_DONE"


@pytest.mark.parametrize(
    ("own", "campaign", "window", "expected"),
    [
        ("DISABLE", "DELETE", RUNNING, "ADGROUP_STATUS_CAMPAIGN_DELETE"),
        ("DELETE", "DELETE", RUNNING, "ADGROUP_STATUS_DELETE"),
        ("ENABLE", "DISABLE", RUNNING, "ADGROUP_STATUS_CAMPAIGN_DISABLE"),
        ("DISABLE", "DISABLE", ENDED, "ADGROUP_STATUS_DISABLE"),
        ("ENABLE", "ENABLE", NOT_STARTED, "ADGROUP_STATUS_NOT_START"),
        ("ENABLE", "ENABLE", ENDED, "ADGROUP_STATUS_TIME_DONE"),
        ("ENABLE", "ENABLE", RUNNING, "ADGROUP_STATUS_DELIVERY_OK"),
    ],
)
def test_an_ad_groups_status(own: str, campaign: str, window: Window, expected: str) -> None:
    assert adgroup_status(own, campaign, window, NOW) == expected
