"""The forecast's draft ad group, as the engine sees it: what the draft says, and no other limit."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from factories.delivery import group, snapshot
from sparkads.delivery.targeting import Geography
from sparkads.traffic.forecast import AS_DRAFTED, DRAFT_ID, Draft, priors, with_draft

FRANCE = {"location_ids": ["3017382"]}
# what a draft and an ad group entry both name (none of them at its default)
SAME_NAMED = {
    "goal": "CLICK",
    "billing": "CPC",
    "bid_type": "BID_TYPE_CUSTOM",
    "bid": 300_000,
    "daily_budget": 40_000_000,
    "eur_rate": 0.0062,
    "timezone": ZoneInfo("Asia/Tokyo"),
    "frequency": 3,
    "pacing_smooth": False,
}


def test_the_draft_entry_carries_the_draft_and_nothing_else_limits_it(geo: Geography) -> None:
    draft = Draft(
        targeting=FRANCE, item_id="post-7", organic_engagement=0.1, frequency_days=2, **SAME_NAMED
    )
    live = snapshot([group(0), group(1)], [FRANCE, FRANCE], geo)

    planned = with_draft(live, draft, geo, start=1_000.0)

    entry = planned.groups[-1]
    assert planned.targetings[-1] is FRANCE
    assert set(AS_DRAFTED) == SAME_NAMED.keys()
    assert {name: getattr(entry, name) for name in SAME_NAMED} == SAME_NAMED
    assert (entry.index, entry.start, entry.frequency_window) == (2, 1_000.0, 172_800.0)
    assert {entry.adgroup_id, entry.campaign_id, entry.advertiser_id} == {DRAFT_ID}
    (ad,) = entry.ads
    assert (ad.item_id, ad.auth_ends_at) == ("post-7", None)
    assert (ad.prior_ctr, ad.prior_cvr, ad.prior_view, ad.prior_follow) == priors(0.1)
    # no other limit: no lifetime or campaign budget, end, dayparting, OS, price or audiences
    assert (entry.lifetime_budget, entry.campaign_daily_budget, entry.end) == (None, None, None)
    assert (entry.dayparting, entry.min_os_version, entry.price_range) == (None, {}, None)
    assert entry.included_audiences == entry.excluded_audiences == frozenset()
