"""Videos uploaded for the push flow (R6): stored as facts (duration, size, frame), not files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import AdVideo
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id
from sparkads.posts.media import MediaError, read_video

MAX_VIDEO_BYTES = 500 * 1024 * 1024


def upload_video(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    *,
    content: bytes,
    file_name: str,
    signature: str | None,
) -> AdVideo:
    if len(content) > MAX_VIDEO_BYTES:
        raise SparkadsError("video_file_invalid", detail=LocalText(N_("larger than 500 MB")))
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    if signature and signature.lower() != digest:
        raise SparkadsError(
            "invalid_parameter",
            field="video_signature",
            detail=LocalText(N_("does not match the MD5 of the file")),
        )
    try:
        facts = read_video(content)
    except MediaError as exc:
        raise SparkadsError("video_file_invalid", detail=exc.text) from None
    video = AdVideo(
        video_id=new_id(),
        advertiser_id=advertiser.advertiser_id,
        file_name=file_name[:255] or "video.mp4",
        size=len(content),
        duration=facts.duration,
        width=facts.width,
        height=facts.height,
        signature=digest,
        created_at=clock.now(),
    )
    return added(session, video)


def search_videos(
    session: Session, advertiser: Advertiser, *, video_ids: Sequence[str] | None = None
) -> Sequence[AdVideo]:
    """The ad account's uploaded videos, newest first (file/video/ad/search/)."""
    query = select(AdVideo).where(AdVideo.advertiser_id == advertiser.advertiser_id)
    if video_ids is not None:
        query = query.where(AdVideo.video_id.in_([str(v) for v in video_ids]))
    return session.scalars(query.order_by(AdVideo.created_at.desc(), AdVideo.video_id)).all()
