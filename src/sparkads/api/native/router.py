from __future__ import annotations

from fastapi import APIRouter

from sparkads.api.native import access, feed, forecasts, marketplace, posts, reports, sandbox

router = APIRouter()
router.include_router(posts.router)
router.include_router(access.router)
router.include_router(sandbox.router)
router.include_router(feed.router)
router.include_router(forecasts.router)
router.include_router(reports.router)
router.include_router(marketplace.router)
