"""file/video/ad/upload/: upload a new video for the push flow (ad/create with video_id);
file/video/ad/search/: the uploaded videos."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, query_advertiser_id, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import paged
from sparkads.campaigns.models import AdVideo
from sparkads.errors import SparkadsError
from sparkads.ids import IdStr
from sparkads.services import assets

router = APIRouter(prefix="/open_api/v1.3/file", tags=["Files"])


@router.post("/video/ad/upload/", openapi_extra=body_doc())
def video_upload(
    principal: PrincipalDep,
    context: ContextDep,
    advertiser_id: Annotated[str, Form()],
    video_file: Annotated[UploadFile, File()],
    upload_type: Annotated[str, Form()] = "UPLOAD_BY_FILE",
    video_signature: Annotated[str | None, Form()] = None,
    file_name: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """Upload an MP4/MOV; its duration and frame size are read from the file."""
    if upload_type != "UPLOAD_BY_FILE":
        raise SparkadsError("field_not_supported", field=f"upload_type={upload_type}")
    content = video_file.file.read()
    upload = assets.VideoFile(content, file_name or video_file.filename or "", video_signature)
    video = assets.upload_video(context.uow, context.clock, principal, advertiser_id, upload)
    return envelope.ok(
        {
            "video_id": video.video_id,
            "file_name": video.file_name,
            "duration": video.duration,
            "width": video.width,
            "height": video.height,
            "size": video.size,
            "format": "mp4",
            "signature": video.signature,
            "displayable": True,
        }
    )


class VideoFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    video_ids: Annotated[list[IdStr] | None, Field(max_length=100)] = None


class VideoSearch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    advertiser_id: IdStr
    filtering: VideoFilter = VideoFilter()
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 20


def _video(video: AdVideo) -> dict[str, object]:
    """TikTok's video fields. sparkads keeps an upload's facts, not the file: no cover or preview
    URL (null); `bit_rate` from its size and duration."""
    stamp = video.created_at.strftime("%Y-%m-%d %H:%M:%S")
    return {
        "video_id": video.video_id,
        "material_id": video.video_id,
        "file_name": video.file_name,
        "format": "mp4",
        "duration": video.duration,
        "width": video.width,
        "height": video.height,
        "size": video.size,
        "bit_rate": round(video.size * 8 / video.duration) if video.duration else None,
        "signature": video.signature,
        "video_cover_url": None,
        "preview_url": None,
        "preview_url_expire_time": None,
        "displayable": True,
        "allow_download": False,
        "allowed_placements": ["PLACEMENT_TIKTOK"],
        "create_time": stamp,
        "modify_time": stamp,
    }


@router.get("/video/ad/search/", openapi_extra=query_doc(VideoSearch))
def video_search(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The ad account's uploaded videos, newest first; `filtering` `video_ids`."""
    found = assets.search_videos(
        context.uow,
        principal,
        query_advertiser_id(request),
        lambda: read_query(request, VideoSearch).filtering.video_ids,
    )
    params: VideoSearch = read_query(request, VideoSearch)  # valid by now
    return envelope.ok(paged("list", found, params, _video))
