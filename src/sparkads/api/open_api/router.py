from __future__ import annotations

from fastapi import APIRouter

from sparkads.api.open_api import (
    ad,
    adgroup,
    advertiser,
    assets,
    bc,
    campaign,
    dmp,
    file,
    identity,
    oauth,
    pixel,
    report,
    tcm,
    tool,
    tt_video,
)

router = APIRouter()
router.include_router(advertiser.router)
router.include_router(oauth.router)
router.include_router(tt_video.router)
router.include_router(identity.router)
router.include_router(bc.router)
router.include_router(campaign.router)
router.include_router(adgroup.router)
router.include_router(ad.router)
router.include_router(tool.router)
router.include_router(file.router)
router.include_router(report.router)
router.include_router(dmp.router)
router.include_router(tcm.router)
router.include_router(assets.router)
router.include_router(pixel.router)
