"""Domain commands of the marketplace: a creator's profile and an invitation to collaborate, in
domain terms (frozen dataclasses, fees in micros of EUR). The native API's bodies and the web's
forms are checked by `marketplace.schemas` and mapped there (`ProfileIn.command()`,
`CollaborationCreate.command()`); the Creator Marketplace API's requests and the demo build them
directly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Profile:
    """What a creator declares when opting in; audience and engagement are computed."""

    sector: str
    countries: tuple[str, ...]
    languages: tuple[str, ...] = ()
    asking_fee: int  # micros of EUR, per sponsored post


@dataclass(frozen=True, kw_only=True)
class NewCollaboration:
    """An invitation: sponsor an existing post (`item_id`) or make one for a `brief`."""

    advertiser_id: str
    creator_id: str
    item_id: str | None = None
    brief: str | None = None
    fee: int  # micros of EUR
    duration_days: int = 30
    message: str = ""
