"""An ad account's creative assets beyond videos: file/image/ad/search/ (the covers and photos of
its library posts), file/music/get/ (their original sounds), creative/portfolio/create|list|get/
(dynamic CTA portfolios). Pixels are in `pixel.py`."""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sparkads.api.context import AppContext, ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, query_advertiser, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import paged
from sparkads.assets.library_media import LibraryImage, LibrarySound
from sparkads.assets.models import CreativePortfolio
from sparkads.assets.portfolios import CtaContent
from sparkads.errors import SparkadsError
from sparkads.ids import IdStr
from sparkads.services import assets

router = APIRouter(prefix="/open_api/v1.3", tags=["Creative assets"])

M = TypeVar("M", bound=BaseModel)
AssetId = Annotated[str, Field(min_length=1, max_length=100)]


class Paged(BaseModel):
    model_config = ConfigDict(extra="ignore")

    advertiser_id: IdStr
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=1000)] = 20


def query(request: Request, principal: PrincipalDep, context: AppContext, model: type[M]) -> M:
    """The endpoint's parameters; an ad account the caller cannot see answers 40001 first."""
    try:
        parsed: M = read_query(request, model)
    except SparkadsError:
        with context.uow() as uow:
            query_advertiser(request, uow.session, principal)
        raise
    return parsed


class ImageFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    image_ids: Annotated[list[AssetId] | None, Field(max_length=100)] = None
    material_ids: Annotated[list[AssetId] | None, Field(max_length=100)] = None
    width: Annotated[int | None, Field(ge=1)] = None
    height: Annotated[int | None, Field(ge=1)] = None


class ImageSearch(Paged):
    filtering: ImageFilter = ImageFilter()


def _stamp(image: LibraryImage | LibrarySound, first: bool = True) -> str:
    moment = (
        image.added_at
        if isinstance(image, LibraryImage)
        else (image.first_added if first else image.last_added)
    )
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _image(image: LibraryImage, base: str) -> dict[str, object]:
    """TikTok's image fields; `size` and `signature` are those of the served file (covers) and
    null for photos whose file sparkads does not hold."""
    return {
        "image_id": image.image_id,
        "material_id": image.image_id,
        "tiktok_item_id": image.item_id,
        "file_name": image.image_id.rsplit("/", 1)[-1] + (".svg" if image.is_cover else ""),
        "image_url": base + image.url if image.url.startswith("/") else image.url,
        "format": image.format or None,
        "width": image.width,
        "height": image.height,
        "size": image.size,
        "signature": image.signature,
        "is_carousel_usable": not image.is_cover,
        "displayable": True,
        "create_time": _stamp(image),
        "modify_time": _stamp(image),
    }


@router.get("/file/image/ad/search/", openapi_extra=query_doc(ImageSearch))
def image_search(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The images of the ad account's library posts, newest post first: each video's cover (the
    poster sparkads serves) and each photo post's images; `filtering` by ids or frame size."""
    params = query(request, principal, context, ImageSearch)
    found = assets.images(context.uow, principal, params.advertiser_id)
    wanted = params.filtering
    ids = set(wanted.image_ids or []) | set(wanted.material_ids or [])
    base = context.settings.public_base_url
    listed = [
        _image(i, base)
        for i in found
        if (not ids or i.image_id in ids)
        and wanted.width in (None, i.width)
        and wanted.height in (None, i.height)
    ]
    return envelope.ok(paged("list", listed, params))


class MusicFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    music_ids: Annotated[list[AssetId] | None, Field(max_length=100)] = None
    material_ids: Annotated[list[AssetId] | None, Field(max_length=100)] = None


class MusicGet(Paged):
    music_scene: Literal["CREATIVE_ASSET", "CAROUSEL_ADS"] = "CREATIVE_ASSET"
    filtering: MusicFilter = MusicFilter()


def _music(sound: LibrarySound, base: str) -> dict[str, object]:
    """A Spark post's original sound: its title and creator are real, sparkads holds no audio
    file (`url`, `file_name`, `signature` null)."""
    return {
        "music_id": sound.music_id,
        "material_id": sound.music_id,
        "sources": ["SPARK_POST"],
        "name": sound.title,
        "author": sound.author,
        "duration": sound.duration,
        "cover_url": base + sound.cover_path,
        "url": None,
        "file_name": None,
        "signature": None,
        "style": None,
        "liked": False,
        "copyright": "COMMERCIAL_USE" if sound.cleared else "NOT_CLEARED",
        "create_time": _stamp(sound),
        "modify_time": _stamp(sound, first=False),
    }


@router.get("/file/music/get/", openapi_extra=query_doc(MusicGet))
def music_get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The original sounds of the ad account's library posts (one per creator and title);
    `music_scene` CAROUSEL_ADS keeps the sounds of photo posts."""
    params = query(request, principal, context, MusicGet)
    found = assets.sounds(
        context.uow,
        principal,
        params.advertiser_id,
        carousel_only=params.music_scene == "CAROUSEL_ADS",
    )
    ids = set(params.filtering.music_ids or []) | set(params.filtering.material_ids or [])
    base = context.settings.public_base_url
    listed = [_music(s, base) for s in found if not ids or s.music_id in ids]
    return envelope.ok(paged("musics", listed, params))


class PortfolioItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    asset_content: Annotated[str, Field(min_length=1, max_length=64)]
    asset_ids: Annotated[list[AssetId], Field(max_length=20)] = []


class PortfolioCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advertiser_id: IdStr
    creative_portfolio_type: Annotated[str, Field(min_length=1, max_length=32)]
    portfolio_content: Annotated[list[PortfolioItem], Field(min_length=1, max_length=20)]


@router.post("/creative/portfolio/create/", openapi_extra=body_doc())
def portfolio_create(
    body: PortfolioCreate, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """A dynamic CTA portfolio (`creative_portfolio_type` CTA): 1 to 5 call_to_action values
    in `portfolio_content[].asset_content`. Other types answer 40002."""
    portfolio_id = assets.create_portfolio(
        context.uow,
        context.clock,
        principal,
        body.advertiser_id,
        portfolio_type=body.creative_portfolio_type,
        content=[CtaContent(i.asset_content, tuple(i.asset_ids)) for i in body.portfolio_content],
    )
    return envelope.ok({"creative_portfolio_id": portfolio_id})


class PortfolioFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    creative_portfolio_ids: Annotated[list[IdStr] | None, Field(max_length=100)] = None
    creative_portfolio_types: Annotated[list[str] | None, Field(max_length=20)] = None


class PortfolioList(Paged):
    filtering: PortfolioFilter = PortfolioFilter()


def _summary(portfolio: CreativePortfolio) -> dict[str, object]:
    """No preview image is rendered for a CTA portfolio: `creative_portfolio_preview_url` null."""
    return {
        "creative_portfolio_id": portfolio.portfolio_id,
        "creative_portfolio_type": portfolio.portfolio_type,
        "creative_portfolio_preview_url": None,
        "create_time": portfolio.created_at.strftime("%Y-%m-%d %H:%M:%S"),
    }


@router.get("/creative/portfolio/list/", openapi_extra=query_doc(PortfolioList))
def portfolio_list(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The ad account's portfolios, newest first."""
    params = query(request, principal, context, PortfolioList)
    found = assets.list_portfolios(
        context.uow,
        principal,
        params.advertiser_id,
        portfolio_ids=params.filtering.creative_portfolio_ids,
        portfolio_types=params.filtering.creative_portfolio_types,
    )
    return envelope.ok(paged("creative_portfolios", found, params, _summary))


class PortfolioGet(BaseModel):
    model_config = ConfigDict(extra="ignore")

    advertiser_id: IdStr
    creative_portfolio_id: IdStr


@router.get("/creative/portfolio/get/", openapi_extra=query_doc(PortfolioGet))
def portfolio_get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """One portfolio with its content."""
    params = query(request, principal, context, PortfolioGet)
    found = assets.get_portfolio(
        context.uow, principal, params.advertiser_id, params.creative_portfolio_id
    )
    return envelope.ok(
        {
            "creative_portfolio_id": found.portfolio_id,
            "creative_portfolio_type": found.portfolio_type,
            "portfolio_content": found.content,
        }
    )
