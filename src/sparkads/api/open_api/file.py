"""file/video/ad/upload/: upload a new video for the push flow (ad/create with video_id)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from sparkads.accounts.service import authorize_advertiser
from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep
from sparkads.api.open_api.openapi_doc import body_doc
from sparkads.campaigns.videos import upload_video
from sparkads.errors import SparkadsError

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
    with context.uow() as uow:
        advertiser = authorize_advertiser(uow.session, principal, advertiser_id)
        video = upload_video(
            uow.session,
            context.clock,
            advertiser,
            content=content,
            file_name=file_name or video_file.filename or "",
            signature=video_signature,
        )
        uow.commit()
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
