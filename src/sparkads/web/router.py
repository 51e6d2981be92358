"""Every page of the web app, in one router that `sparkads.api.app` includes."""

from __future__ import annotations

from fastapi import APIRouter

from sparkads.web import (
    access,
    auth,
    business,
    campaigns,
    dashboard,
    delivery,
    feed,
    library,
    marketplace,
    oauth,
    reports,
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
    campaigns,
    delivery,
    dashboard,
    reports,
    sponsorships,
    marketplace,
    business,
    oauth,
    feed,
    tokens,
):
    router.include_router(module.router)
