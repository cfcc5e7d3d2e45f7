"""The branches' upload portal: a personal link per recipient, no account needed.

``/p/<round id>/<secret>`` shows the recipient its own expected forms and their states, takes
its returns through the same pipeline as ``collect`` and shows each file's outcome with the
cells to fix. A recipient sees nothing of any other recipient: the page names only its own
forms (peer forms by the branch they rate), and a form of another recipient in an upload is
rejected and only counted, never named. A wrong, tampered, expired or revoked link answers the
same 404 page. Requests are limited per link and per address; links never reach the log.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sheetops.app import accounts
from sheetops.app.links import link_expiry, link_recipient
from sheetops.app.submissions import files_of_forms
from sheetops.core.errors import SheetopsError
from sheetops.core.i18n import text
from sheetops.core.issues import group_issue_entries
from sheetops.layout.packs import PackPlan
from sheetops.model.workspace import Round
from sheetops.web import views, work
from sheetops.web.jobs import remove_folder, run_in_child

UPLOADS_PER_LINK: Final = (20, 600.0)  # at most 20 uploads a link in 10 minutes
REQUESTS_PER_ADDRESS: Final = (120, 60.0)  # at most 120 portal requests an address a minute
class RateLimit:
    """At most ``limit`` events per key in any ``window`` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count one event for ``key``; False when it is over the limit."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            if len(self._seen) > 10_000:  # forget idle keys
                for stale in [k for k, v in self._seen.items() if not v]:
                    del self._seen[stale]
            return True


class Limits:
    """The portal's rate limits, one set per console."""

    def __init__(self) -> None:
        self.uploads = RateLimit(*UPLOADS_PER_LINK)
        self.requests = RateLimit(*REQUESTS_PER_ADDRESS)


def limits_of(request: Request) -> Limits:
    """The console's portal limits (made on first use)."""
    state = request.app.state
    if not hasattr(state, "portal_limits"):
        state.portal_limits = Limits()
    found: Limits = state.portal_limits
    return found


def not_found(request: Request) -> Response:
    """The one answer for every link that does not open (no hint why)."""
    return views.render(request, "portal_gone.html", {"actor": None}, status=404)


def too_many(request: Request) -> Response:
    """Too many requests from this address or through this link."""
    return views.render(request, "portal_gone.html", {"actor": None, "busy": True},
                        status=429)


async def opened(request: Request) -> tuple[Round, PackPlan] | Response:
    """The round and the recipient a link opens, or the answer to send instead."""
    if not limits_of(request).requests.allow(views.address_of(request)):
        return too_many(request)
    try:
        round_ = await run_in_threadpool(views.console_of(request).round,
                                         request.path_params["round_id"])
    except SheetopsError:
        return not_found(request)
    pack = await run_in_threadpool(link_recipient, round_, request.path_params["secret"])
    if pack is None:
        return not_found(request)
    return round_, pack


def _base(request: Request) -> str:
    return f"/p/{quote(request.path_params['round_id'], safe='')}/{request.path_params['secret']}"


def own_forms(request: Request, round_: Round, pack: PackPlan) -> list[dict[str, Any]]:
    """The recipient's expected forms with their states, named as the recipient knows them."""
    status = views.console_of(request).status(round_)
    mine = next((r for r in status.recipients if r.code == pack.recipient), None)
    states = {f.form_id: f for f in mine.forms} if mine else {}
    rows = []
    for form in pack.forms:
        state = states.get(form.identity.form_id)
        rows.append({"sheet": form.sheet, "role": form.identity.role,
                     "target": form.target_name, "state": state})
    return rows


def visible_outcome(result: dict[str, Any] | None, pack: PackPlan) -> list[dict[str, Any]]:
    """A collect job's files as the recipient may see them: its own forms and their issues;
    another recipient's forms only counted."""
    if not result:
        return []
    own = {f.identity.form_id for f in pack.forms}
    files = []
    for entry in result.get("files", []):
        forms = [f for f in entry["forms"] if f["form_id"] in own]
        foreign = len(entry["forms"]) - len(forms)
        issues = [i for i in entry["issues"]
                  if i["code"] != "not-your-form" and (i["sheet"] is None or any(
                      f["sheet"] == i["sheet"] for f in forms))]
        files.append({**entry, "forms": forms, "issues": issues, "foreign": foreign,
                      "groups": group_issue_entries(issues)})
    return files


async def portal_page(request: Request) -> Response:
    """The recipient's page: its forms, their states, the upload form."""
    found = await opened(request)
    if isinstance(found, Response):
        return found
    round_, pack = found
    forms = await run_in_threadpool(own_forms, request, round_, pack)
    files = await run_in_threadpool(files_of_forms, round_,
                                    [f.identity.form_id for f in pack.forms])
    return views.render(request, "portal.html", {
        "actor": None, "pack": pack, "forms": forms, "base": _base(request), "files": files,
        "expires": link_expiry(round_.config), "error": None}, round_=round_)


async def portal_upload(request: Request) -> Response:
    """Take the recipient's files in; follow them on the job page."""
    found = await opened(request)
    if isinstance(found, Response):
        return found
    round_, pack = found
    if not limits_of(request).uploads.allow(f"{round_.config.id}/{pack.recipient}"):
        return too_many(request)
    source = f"portal:{pack.recipient}"
    try:
        uploads, folder = await views.take_uploads(request, round_)
    except HTTPException as refused:
        if refused.status_code not in (400, 413):
            raise
        forms = await run_in_threadpool(own_forms, request, round_, pack)
        message = (refused.detail if refused.status_code == 413 else
                   text(views.page_lang(request, round_), "upload.nothing"))
        return views.render(request, "portal.html", {
            "actor": None, "pack": pack, "forms": forms, "base": _base(request), "files": [],
            "expires": link_expiry(round_.config), "error": message}, round_=round_,
            status=refused.status_code)
    accounts.record_audit(views.console_of(request).workspace, source,
                          views.address_of(request), "portal-upload", round_.config.id,
                          ", ".join(u.name for u in uploads)[:500])
    lang = views.page_lang(request, round_)
    job = views.console_of(request).jobs.start(
        "collect", round_.config.id, source, lang,
        lambda job: run_in_child(work.collect_uploaded, {
            "root": str(round_.paths.root), "source": source, "recipient": pack.recipient,
            "uploads": [(str(u.path), u.name) for u in uploads]}, lang, job),
        cleanup=remove_folder(folder))
    return RedirectResponse(f"{_base(request)}/jobs/{job.id}", status_code=303)


async def portal_job(request: Request) -> Response:
    """An upload's progress, then each file's outcome."""
    found = await opened(request)
    if isinstance(found, Response):
        return found
    round_, pack = found
    job = views.console_of(request).jobs.get(request.path_params["job_id"])
    if job is None or job.actor != f"portal:{pack.recipient}" or (
            job.round_id != round_.config.id):
        return not_found(request)
    template = ("portal_job_state.html" if request.headers.get("hx-request")
                else "portal_job.html")
    return views.render(request, template, {
        "actor": None, "pack": pack, "job": job, "base": _base(request),
        "files": visible_outcome(job.result, pack)}, round_=round_)


def routes() -> Sequence[BaseRoute]:
    """The portal's routes."""
    p = "/p/{round_id}/{secret}"
    return [
        Route(p, portal_page, methods=["GET"]),
        Route(p + "/upload", portal_upload, methods=["POST"]),
        Route(p + "/jobs/{job_id}", portal_job, methods=["GET"]),
    ]
