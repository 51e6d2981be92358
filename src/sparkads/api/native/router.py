from __future__ import annotations

from fastapi import APIRouter

from sparkads.api.native import (
    access,
    apps,
    audit,
    feed,
    forecasts,
    marketplace,
    posts,
    reports,
    review,
    sandbox,
)
from sparkads.api.native.errors import ERROR_RESPONSES

router = APIRouter()
router.include_router(posts.router, responses=ERROR_RESPONSES)
router.include_router(access.router, responses=ERROR_RESPONSES)
router.include_router(sandbox.router, responses=ERROR_RESPONSES)
router.include_router(feed.router, responses=ERROR_RESPONSES)
router.include_router(forecasts.router, responses=ERROR_RESPONSES)
router.include_router(reports.router, responses=ERROR_RESPONSES)
router.include_router(marketplace.router, responses=ERROR_RESPONSES)
router.include_router(audit.router, responses=ERROR_RESPONSES)
router.include_router(review.router, responses=ERROR_RESPONSES)
router.include_router(apps.router, responses=ERROR_RESPONSES)
