"""The generated poster that stands for a post's first frame (no media files are stored): served
at /media/posts/{item_id}/poster.svg and listed as the post's cover image (file/image/ad/search)."""

from __future__ import annotations

import hashlib
from html import escape

POSTER_WIDTH, POSTER_HEIGHT = 270, 480


def color(seed: str) -> str:
    return "#" + hashlib.sha256(seed.encode()).hexdigest()[:6]


def poster_svg(item_id: str, caption: str) -> bytes:
    """The poster's bytes, the same for the page that serves it and the image list that sizes it."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{POSTER_WIDTH}" height="{POSTER_HEIGHT}"'
        f' viewBox="0 0 {POSTER_WIDTH} {POSTER_HEIGHT}">'
        f'<rect width="{POSTER_WIDTH}" height="{POSTER_HEIGHT}" fill="{color(item_id)}"/>'
        f'<text x="16" y="440" fill="#fff" font-family="sans-serif" font-size="14">'
        f"{escape(caption[:60])}</text></svg>"
    ).encode()
