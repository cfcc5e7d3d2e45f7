"""The staff console as an ASGI application: routes, middleware, errors.

Middleware, outermost first: security headers on every response; a cap on request bodies
(413 before anything is read past the round's upload limit); CSRF tokens on every
state-changing request that carries a cookie (asgi-csrf: a form field or the ``x-csrftoken``
header; a request with a bearer token is a script's and is exempt); server-side sessions
(starsessions on the console's SQLite file). No traceback ever reaches a browser: a bug
answers with an error id that the server log records beside the traceback.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs

from asgi_csrf import asgi_csrf
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starsessions import SessionAutoloadMiddleware, SessionMiddleware

from sheetops.core.i18n import DEFAULT_LANGUAGE, text
from sheetops.web import api, portal, views
from sheetops.web.auth import ConsoleSessionStore
from sheetops.web.state import Console

LOG: Final = logging.getLogger("sheetops.web")
SESSION_COOKIE: Final = "sheetops_session"
SESSION_SECONDS: Final = 12 * 3600
FORM_BODY_BYTES: Final = 1 * 2**20  # sign-in, vetoes, settings: nothing near this

CSP: Final = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; form-action 'self'; "
              "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


class SecurityHeaders:
    """Adds the console's security headers to every response."""

    def __init__(self, app: ASGIApp, *, tls: bool) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if tls:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name for name, _ in headers}
                headers += [h for h in self.headers if h[0] not in names]
                if not static and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses a request body over its cap with 413, counting as it arrives (a client may not
    say how much it sends). Uploads may reach their round's ``[limits] max_upload_mb``."""

    def __init__(self, app: ASGIApp, console: Console) -> None:
        self.app = app
        self.console = console

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        cap = self.console.body_cap(scope["path"])
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > cap:
            await _too_large(scope, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await _too_large(scope, send)


class MultipartToken:
    """Lets a file-upload form carry its CSRF token in its URL (``?csrftoken=…``).

    asgi-csrf checks a token sent as the ``x-csrftoken`` header against the signed cookie;
    for ``multipart/form-data`` bodies it would otherwise parse the body itself, which recent
    python-multipart releases no longer support. The upload forms put the token in their
    action URL and this moves it into the header, so asgi-csrf still does the checking, and an
    upload works without JavaScript too. (The token is worth nothing without the cookie, and
    pages send no Referer.)
    """

    def __init__(self, app: ASGIApp, refuse: Any) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = dict(scope.get("headers", []))
            multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
            if multipart and b"x-csrftoken" not in headers:
                query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
                token = query.get("csrftoken", [""])[0]
                if token:
                    scope = {**scope, "headers": [*scope["headers"],
                                                  (b"x-csrftoken", token.encode("latin-1"))]}
                elif b"cookie" in headers and not headers.get(b"authorization", b"").startswith(
                        b"Bearer "):
                    await self.refuse(scope, send)  # a cookie and no token: refused (403)
                    return
        await self.app(scope, receive, send)


class _BodyTooLarge(Exception):
    """The body went over its cap while being read."""


async def _too_large(scope: Scope, send: Send) -> None:
    response: Response
    if scope["path"].startswith("/api/"):
        response = JSONResponse({"error": "too-large",
                                 "message": text(DEFAULT_LANGUAGE, "upload.body-too-large")},
                                status_code=413)
    else:
        response = HTMLResponse(text(DEFAULT_LANGUAGE, "upload.body-too-large"),
                                status_code=413)

    async def drain() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, drain, send)


def _csrf_failed_sender(console: Console) -> Any:
    async def send_csrf_failed(scope: Scope, send: Send, message_id: object = None) -> None:
        request = Request(scope)
        lang = request.cookies.get(views.LANG_COOKIE, DEFAULT_LANGUAGE)
        if scope["path"].startswith("/api/"):
            response: Response = JSONResponse(
                {"error": "csrf", "message": text(lang, "web.csrf-failed")}, status_code=403)
        else:
            response = HTMLResponse(console.pages.render(
                "error.html", {"title": text(lang, "web.forbidden"),
                               "message": text(lang, "web.csrf-failed"), "error_id": None},
                lang=lang, zone=console.zone),
                status_code=403)

        async def drain() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, drain, send)

    return send_csrf_failed


def create_app(workspace: Path, *, tls: bool = False, one_time: str | None = None,
               warm: bool = False) -> Starlette:
    """The console for ``workspace`` (a round, or a folder of rounds).

    Args:
        workspace: the folder to serve.
        tls: whether it is served over HTTPS (cookies are then ``Secure``).
        one_time: a secret for the one-time sign-in link ``/login/once/<secret>`` that
            ``sheetops serve`` prints for the person at the machine (None: no such link).
        warm: open the rounds and read their status in the background at once, so the
            first page is as quick as the others (``serve`` does).

    Returns:
        The application.
    """
    console = Console(workspace.resolve(), one_time=one_time, warm=warm)
    app = Starlette(
        routes=[*views.routes(), *api.routes(), *portal.routes()],
        middleware=[
            Middleware(SecurityHeaders, tls=tls),
            Middleware(BodyLimit, console=console),
            Middleware(MultipartToken, refuse=_csrf_failed_sender(console)),
            Middleware(_csrf, signing_secret=secrets.token_hex(32), cookie_secure=tls,
                       cookie_samesite="Strict", send_csrf_failed=_csrf_failed_sender(console)),
            Middleware(SessionMiddleware, store=ConsoleSessionStore(console.workspace),
                       cookie_name=SESSION_COOKIE, cookie_https_only=tls,
                       cookie_same_site="lax", lifetime=SESSION_SECONDS, rolling=True),
            Middleware(SessionAutoloadMiddleware),
        ],
        exception_handlers={HTTPException: views.http_error, Exception: views.server_error},
    )
    app.state.console = console
    return app


def _csrf(app: ASGIApp, /, **options: Any) -> ASGIApp:
    """asgi-csrf as Starlette middleware: a refused request never reaches a route."""
    protected: ASGIApp = asgi_csrf(app, **options)
    return protected
