"""Access links (what a request's QR code opens) and their QR codes, drawn by segno (PNG for chat
apps, SVG for the web)."""

from __future__ import annotations

import io

import segno


def qr_png(link: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(link: str, scale: int = 8) -> str:
    """An inline SVG with a viewBox and no fixed size: the page scales it (never crops it)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(
        buffer, kind="svg", scale=scale, border=4, title="sparkads access request",
        xmldecl=False, omitsize=True, svgclass="qr-code", lineclass=None, dark="#000", light="#fff",
    )  # fmt: skip
    return buffer.getvalue().decode()


def accept_link(public_base_url: str, request_id: str) -> str:
    """Where the QR code points: the page on which the creator answers the request."""
    return f"{public_base_url.rstrip('/')}/access/{request_id}"
