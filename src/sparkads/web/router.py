"""Every page of the web app, in one router that `sparkads.api.app` includes."""

from __future__ import annotations

from fastapi import APIRouter

from sparkads.web import (
    access,
    auth,
    business,
    campaigns,
    console,
    dashboard,
    delivery,
    feed,
    first_account,
    history,
    library,
    marketplace,
    oauth,
    reports,
    review,
    sponsorships,
    static_files,
    studio,
    tokens,
    wizard,
)

router = APIRouter(include_in_schema=False)
for module in (
    static_files,
    auth,
    studio,
    access,
    library,
    wizard,
    first_account,
    campaigns,
    console,
    delivery,
    history,
    dashboard,
    reports,
    sponsorships,
    marketplace,
    business,
    oauth,
    feed,
    tokens,
    review,
):
    router.include_router(module.router)
