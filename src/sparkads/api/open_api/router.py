from __future__ import annotations

from fastapi import APIRouter

from sparkads.api.open_api import bc, identity, tt_video

router = APIRouter()
router.include_router(tt_video.router)
router.include_router(identity.router)
router.include_router(bc.router)
