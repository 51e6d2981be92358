"""Security headers on every response (pure ASGI).

Pages load scripts and styles only from /static (no inline script, no style attribute), may not be
framed, do not leak their URL to other sites, and are not sniffed into another type. Over TLS the
browser is told to stay on HTTPS. The interactive API documentation (/docs) is Swagger UI served
from the package with a static start-up script: the same script policy; only its styles may be
inline (Swagger UI sets style attributes)."""

from __future__ import annotations

from sparkads.api.asgi import HttpMiddleware, Message, Receive, Scope, Send, add_headers

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        # sponsored posts' videos: the platform's media (https) or a player's blob: URLs
        "media-src 'self' blob: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# /docs (Swagger UI, served from the package): scripts from this server only, like every page;
# Swagger UI's React views set style attributes, so only styles get 'unsafe-inline' there.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DOCS_PATHS = ("/docs",)
HSTS = "max-age=31536000; includeSubDomains"

COMMON: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def headers_for(scope: Scope) -> list[tuple[bytes, bytes]]:
    path = str(scope.get("path", ""))
    policy = DOCS_CSP if path.startswith(DOCS_PATHS) else CSP
    headers = [*COMMON, (b"content-security-policy", policy.encode())]
    if scope.get("scheme") == "https":
        headers.append((b"strict-transport-security", HSTS.encode()))
    return headers


class SecurityHeadersMiddleware(HttpMiddleware):
    """Add the security headers to every HTTP response that does not set them itself."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        extra = headers_for(scope)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                add_headers(
                    message, ((name, value) for name, value in extra if name not in present)
                )
            await send(message)

        await self.app(scope, receive, sending)
