"""The auction (pure): rank by expected value per thousand impressions (eCPM), second price with a
reserve, ties broken by a draw per request and ad (`tiebreak`: one 64-bit seed from the injected
random generator per request, mixed with the ad's place in the snapshot, so only the ads a ranking
reaches are drawn, and the same world gives the same decisions for a seed, whatever its random ids).

eCPM by bid kind (R14): CPM bid; CPC bid × pCTR; CPV bid × p(6 s view); OCPM (a target cost per
result, shown as CPA) target × p(result). Lowest cost (BID_TYPE_NO_BID) bids a fixed multiple of the
reserve. Everything is compared in EUR micros so bids in other currencies compete fairly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sparkads.delivery.model import AdEntry, GroupEntry

LOWEST_COST_RESERVE_MULTIPLE = 1.5


@dataclass(frozen=True, slots=True)
class Stats:
    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    views_6s: int = 0
    follows: int = 0


PRIOR_IMPRESSIONS = 1_000.0
MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15  # splitmix64's increment
MIX1, MIX2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_TWO_POW_MINUS_53 = 1.0 / 9_007_199_254_740_992.0


SLOT_BITS = 20  # an ad's key: its ad group's position in the snapshot, then its slot in `ads`


def ad_key(position: int, slot: int) -> int:
    return (position << SLOT_BITS) | slot


def tiebreak(seed: int, key: int) -> float:
    """A uniform in [0, 1) for this request (`seed`, drawn once per request) and ad (`ad_key`):
    splitmix64 of seed + key × golden ratio, top 53 bits. `scoring.tiebreaks` computes the same
    floats for arrays of keys (tested)."""
    z = (seed + key * GOLDEN) & MASK64
    z = ((z ^ (z >> 30)) * MIX1) & MASK64
    z = ((z ^ (z >> 27)) * MIX2) & MASK64
    return ((z ^ (z >> 31)) >> 11) * _TWO_POW_MINUS_53


PRIOR_CLICKS = 50.0


def p_ctr(ad: AdEntry, stats: Stats) -> float:
    """Smoothed click rate: the ad's own history, pulled towards a prior from the post's organic
    engagement (worth 1,000 impressions)."""
    return (stats.clicks + ad.prior_ctr * PRIOR_IMPRESSIONS) / (
        stats.impressions + PRIOR_IMPRESSIONS
    )


def p_cvr(ad: AdEntry, stats: Stats) -> float:
    return (stats.conversions + ad.prior_cvr * PRIOR_CLICKS) / (stats.clicks + PRIOR_CLICKS)


def p_view(ad: AdEntry, stats: Stats) -> float:
    return (stats.views_6s + ad.prior_view * PRIOR_IMPRESSIONS) / (
        stats.impressions + PRIOR_IMPRESSIONS
    )


def p_follow(ad: AdEntry, stats: Stats) -> float:
    return (stats.follows + ad.prior_follow * PRIOR_IMPRESSIONS) / (
        stats.impressions + PRIOR_IMPRESSIONS
    )


def p_billed_event(group: GroupEntry, ad: AdEntry, stats: Stats) -> float:
    """Probability that one impression leads to the event this ad group pays for."""
    if group.billing == "CPM":
        return 1.0
    if group.billing == "CPC":
        return p_ctr(ad, stats)
    if group.billing == "CPV":
        return p_view(ad, stats)
    if group.goal in ("FOLLOWERS", "PROFILE_VIEWS"):
        return p_follow(ad, stats)
    return p_ctr(ad, stats) * p_cvr(ad, stats)


@dataclass(slots=True)
class Bidder:
    group: GroupEntry
    ad: AdEntry
    p_event: float
    ecpm: float  # EUR micros per 1,000 impressions
    tiebreak: float
    blocked: bool = False  # stopped by budget or pacing (already counted as such)


def ecpm(group: GroupEntry, p_event: float, reserve_ecpm: float) -> float:
    """Expected value of one impression, in EUR micros per 1,000 impressions."""
    if group.bid_type == "BID_TYPE_NO_BID":
        return reserve_ecpm * LOWEST_COST_RESERVE_MULTIPLE
    if group.billing == "CPM":
        return group.bid * group.eur_rate
    return group.bid * p_event * 1_000 * group.eur_rate


def bidder(
    group: GroupEntry, ad: AdEntry, stats: Stats, reserve_ecpm: float, tiebreak: float
) -> Bidder:
    p_event = p_billed_event(group, ad, stats)
    return Bidder(group, ad, p_event, ecpm(group, p_event, reserve_ecpm), tiebreak)


@dataclass(frozen=True, slots=True)
class Win:
    bidder: Bidder
    price_ecpm: float  # EUR micros per 1,000 impressions, ≤ the bidder's eCPM
    event_price: int  # micros of the ad group's currency per billed event, ≤ its bid


def event_price(b: Bidder, price_ecpm: float) -> int:
    """What one billed event costs the winner, in its own currency, never above its bid."""
    own_ecpm = price_ecpm / b.group.eur_rate
    # CPM is priced per 1,000 impressions; other kinds per event, from the event's probability.
    price = own_ecpm if b.group.billing == "CPM" else own_ecpm / (1_000 * max(b.p_event, 1e-9))
    if b.group.bid_type != "BID_TYPE_NO_BID":
        price = min(price, b.group.bid)
    return max(1, int(price))


def run(bidders: list[Bidder], slots: int, reserve_ecpm: float) -> list[Win]:
    """Generalised second price: slot k pays what keeps it above slot k+1 (or the reserve).
    One win per ad group and per post, so a feed never shows the same thing twice."""
    eligible = sorted(
        (b for b in bidders if b.ecpm >= reserve_ecpm), key=lambda b: (-b.ecpm, b.tiebreak)
    )
    chosen: list[Bidder] = []
    seen_items: set[str] = set()
    for b in eligible:
        if b.ad.item_id in seen_items:
            continue
        chosen.append(b)
        seen_items.add(b.ad.item_id)
        if len(chosen) == slots + 1:
            break
    wins = []
    for rank, b in enumerate(chosen[:slots]):
        runner_up = chosen[rank + 1].ecpm if rank + 1 < len(chosen) else 0.0
        price = min(b.ecpm, max(runner_up, reserve_ecpm))
        wins.append(Win(b, price, event_price(b, price)))
    return wins
