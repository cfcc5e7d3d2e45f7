"""The console's pages: each parses the request, checks the actor's role, calls one use case in
:mod:`sheetops.app` and renders the answer. No rule of the round lives here.

Pages speak the chosen language (a cookie; else the round's; else Chinese) and show every time
in the round's time zone. A visitor who is not signed in is sent to ``/login``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starsessions import regenerate_session_id

from sheetops.app import accounts, downloads, upkeep
from sheetops.app.accept import accept_held
from sheetops.app.accounts import ACCOUNT_ROLES, SignInLocked, SignInRefused
from sheetops.app.chase import chase_round, last_reminders
from sheetops.app.feedback import feedback_round
from sheetops.app.generate import generate_scoresheets
from sheetops.app.mailboxes import round_mailbox, round_transport
from sheetops.app.rank import rank_round
from sheetops.app.ranking import current_ranking
from sheetops.app.records import records_round
from sheetops.app.remind import remind_recipients
from sheetops.app.send import send_feedback, send_packs
from sheetops.app.submissions import file_detail
from sheetops.app.uploads import Upload, check_upload
from sheetops.app.veto import find_veto, record_committee_veto
from sheetops.core.errors import SheetopsError
from sheetops.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, text
from sheetops.core.statuses import ACCEPTED, HELD, REJECTED, WITH_WARNINGS
from sheetops.ledger.status import MISSING, RecipientStatus
from sheetops.ledger.store import Ledger
from sheetops.model.round import load_settings, parse_round_config
from sheetops.model.workspace import Round
from sheetops.web import work
from sheetops.web.auth import (
    ACCOUNTS,
    AUDIT,
    GENERATE,
    RANK,
    READ,
    SEND,
    SETTINGS,
    UPLOAD,
    VETO,
    Actor,
    bearer_token,
    permitted,
    session_actor,
    token_actor,
)
from sheetops.web.jobs import Job, remove_folder, run_in_child
from sheetops.web.state import Console

LOG: Final = logging.getLogger("sheetops.web")
LANG_COOKIE: Final = "sheetops_lang"
LOCAL_NAME: Final = "本机"  # the person at the machine, signed in by serve's one-time link
PAGE_SIZE: Final = 50
STATES: Final = ("owing", ACCEPTED, WITH_WARNINGS, HELD, REJECTED, MISSING, "all")
MAIL_KINDS: Final = ("send", "remind", "feedback")
Handler = Callable[[Request], Awaitable[Response]]


def redact(path: str) -> str:
    """A path with any personal link's secret hidden, fit for a log."""
    return re.sub(r"(/p/[^/]+/)[^/?#]+", r"\1…", path)


class SignInNeeded(Exception):
    """The visitor is not signed in: go to the sign-in page, then come back."""


# -- the request's actor, language and page ---------------------------------------------


def console_of(request: Request) -> Console:
    """The console serving this request."""
    console: Console = request.app.state.console
    return console


def actor_of(request: Request) -> Actor | None:
    """Who the request acts for: its bearer token when it has one, else its session."""
    workspace = console_of(request).workspace
    token = bearer_token(request)
    if token is not None:
        return token_actor(token, workspace)
    return session_actor(request, workspace)


def require(request: Request, action: str) -> Actor:
    """The actor, when it may do ``action``.

    Raises:
        SignInNeeded: nobody is signed in (pages send the visitor to ``/login``).
        HTTPException: 403 when the actor's role does not allow ``action``.
    """
    actor = actor_of(request)
    if actor is None:
        raise SignInNeeded
    if not permitted(actor, action):
        raise HTTPException(403)
    return actor


def page_lang(request: Request, round_: Round | None = None) -> str:
    """The page's language: the visitor's choice, else the round's, else Chinese."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return round_.lang if round_ is not None else DEFAULT_LANGUAGE


def address_of(request: Request) -> str:
    """The client's address, for the audit log."""
    return request.client.host if request.client else ""


def csrf_token(request: Request) -> str:
    """The CSRF token every form on the page carries."""
    get = request.scope.get("csrftoken")
    return str(get()) if callable(get) else ""


def render(request: Request, name: str, context: dict[str, Any], *,
           round_: Round | None = None, status: int = 200) -> HTMLResponse:
    """A page from template ``name``."""
    console = console_of(request)
    lang = page_lang(request, round_)
    zone = round_.config.zone if round_ is not None else console.zone
    actor = context.pop("actor", None) or actor_of(request)
    full = {"actor": actor, "round": round_, "csrf": csrf_token(request),
            "path": request.url.path, "can": lambda action: permitted(actor, action),
            **context}
    return HTMLResponse(console.pages.render(name, full, lang=lang, zone=zone),
                        status_code=status)


def audit(request: Request, actor: Actor, action: str, round_id: str = "",
          detail: str = "") -> None:
    """Append to the workspace's audit log."""
    accounts.record_audit(console_of(request).workspace, actor.name, address_of(request),
                          action, round_id, detail)


def round_page(action: str) -> Callable[[Callable[[Request, Actor, Round], Awaitable[Response]]],
                                        Handler]:
    """A page of one round: checks ``action``, opens the round, and shows a round's problem
    (it cannot be opened) as a page rather than an error."""

    def decorate(page: Callable[[Request, Actor, Round], Awaitable[Response]]) -> Handler:
        async def handler(request: Request) -> Response:
            try:
                actor = require(request, action)
            except SignInNeeded:
                return to_login(request)
            console = console_of(request)
            try:
                round_ = await run_in_threadpool(console.round, request.path_params["round_id"])
            except SheetopsError as error:
                return render(request, "error.html", {
                    "title": text(page_lang(request), "web.round-unavailable"),
                    "message": error.render(page_lang(request)), "error_id": None},
                    status=404)
            try:
                return await page(request, actor, round_)
            except SheetopsError as error:
                return render(request, "error.html", {
                    "title": text(page_lang(request, round_), "web.could-not"),
                    "message": error.render(page_lang(request, round_)), "error_id": None},
                    round_=round_, status=409)

        return handler

    return decorate


def plain_page(action: str) -> Callable[[Callable[[Request, Actor], Awaitable[Response]]],
                                        Handler]:
    """A page outside any round (rounds list, audit log, accounts)."""

    def decorate(page: Callable[[Request, Actor], Awaitable[Response]]) -> Handler:
        async def handler(request: Request) -> Response:
            try:
                actor = require(request, action)
            except SignInNeeded:
                return to_login(request)
            try:
                return await page(request, actor)
            except SheetopsError as error:
                return render(request, "error.html", {
                    "title": text(page_lang(request), "web.could-not"),
                    "message": error.render(page_lang(request)), "error_id": None},
                    status=409)

        return handler

    return decorate


def to_login(request: Request) -> RedirectResponse:
    """Send the visitor to sign in, and back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/rounds"
    return value


def back(path: str, **params: str) -> RedirectResponse:
    """Redirect after a change (303: the browser then GETs the page)."""
    return RedirectResponse(path + ("?" + urlencode(params) if params else ""), status_code=303)


async def form_of(request: Request) -> dict[str, str]:
    """The text fields of a posted form."""
    form = await request.form(max_files=0, max_fields=50)
    return {key: value for key, value in form.items() if isinstance(value, str)}


# -- errors ---------------------------------------------------------------------------------


async def http_error(request: Request, exc: Exception) -> Response:
    """A page (or JSON, under /api/) for 403, 404, 405, …"""
    assert isinstance(exc, HTTPException)
    lang = page_lang(request)
    keys = {401: "web.unauthorized", 403: "web.forbidden", 404: "web.not-found",
            405: "web.not-allowed", 413: "upload.body-too-large", 429: "web.too-many"}
    message = text(lang, keys.get(exc.status_code, "web.failed"))
    if request.url.path.startswith("/api/"):
        from starlette.responses import JSONResponse

        return JSONResponse({"error": exc.status_code, "message": message},
                            status_code=exc.status_code, headers=exc.headers)
    return render(request, "error.html", {"title": message, "message": "", "error_id": None},
                  status=exc.status_code)


async def server_error(request: Request, exc: Exception) -> Response:
    """A bug: log it with an error id and show the id, never the traceback."""
    error_id = secrets.token_hex(4)
    LOG.error("error id %s on %s %s", error_id, request.method, redact(request.url.path),
              exc_info=exc)
    lang = page_lang(request)
    if request.url.path.startswith("/api/"):
        from starlette.responses import JSONResponse

        return JSONResponse({"error": "server", "error_id": error_id,
                             "message": text(lang, "web.bug", error_id=error_id)},
                            status_code=500)
    return HTMLResponse(console_of(request).pages.render("error.html", {
        "title": text(lang, "web.failed"), "message": text(lang, "web.bug", error_id=error_id),
        "error_id": error_id}, lang=lang, zone=console_of(request).zone), status_code=500)


# -- signing in -----------------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    """The sign-in form."""
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next")),
                                          "error": None, "name": ""})


async def login(request: Request) -> Response:
    """Check a name and password; lock a name out after repeated failures (429)."""
    fields = await form_of(request)
    name, password = fields.get("name", ""), fields.get("password", "")
    target = safe_next(fields.get("next"))
    lang = page_lang(request)
    try:
        user = await run_in_threadpool(accounts.sign_in, console_of(request).workspace, name,
                                       password, address=address_of(request))
    except SignInLocked as locked:
        return render(request, "login.html", {"next": target, "name": name,
                                              "error": locked.render(lang)},
                      status=429)
    except SignInRefused as refused:
        return render(request, "login.html", {"next": target, "name": name,
                                              "error": refused.render(lang)}, status=401)
    regenerate_session_id(request)  # a new session id on every sign-in
    request.session.clear()
    request.session["user"] = user.name
    return RedirectResponse(target, status_code=303)


async def login_once(request: Request) -> Response:
    """The one-time link ``serve`` prints: signs the person at the machine in, once."""
    if not console_of(request).use_one_time(request.path_params["secret"]):
        raise HTTPException(404)
    regenerate_session_id(request)
    request.session.clear()
    request.session.update({"user": LOCAL_NAME, "local": True})
    accounts.record_audit(console_of(request).workspace, LOCAL_NAME, address_of(request),
                          "login-link")
    return RedirectResponse("/rounds", status_code=303)


async def logout(request: Request) -> Response:
    """Sign out: the session ends on the server at once."""
    actor = actor_of(request)
    if actor is not None:
        audit(request, actor, "logout")
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def choose_language(request: Request) -> Response:
    """Switch the pages' language (a cookie), then go back."""
    lang = request.path_params["lang"]
    if lang not in LANGUAGES:
        raise HTTPException(404)
    response = back(safe_next(request.query_params.get("next")))
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True,
                        samesite="lax")
    return response


async def no_icon(request: Request) -> Response:
    """Browsers ask for an icon; there is none (and no error for it in the log)."""
    return Response(status_code=204)


async def home(request: Request) -> Response:
    """The rounds list is the console's front page."""
    return RedirectResponse("/rounds", status_code=303)


# -- rounds ---------------------------------------------------------------------------------


@plain_page(READ)
async def rounds_page(request: Request, actor: Actor) -> Response:
    """Every round of the workspace with its progress (returned / expected)."""
    console = console_of(request)
    entries = await run_in_threadpool(console.rounds)
    rows = []
    for entry in entries:
        progress = None
        if entry.config is not None:
            try:
                round_ = await run_in_threadpool(console.round, entry.id)
                status = await run_in_threadpool(console.status, round_)
                counts = status.counts()
                progress = (counts[ACCEPTED] + counts[WITH_WARNINGS], sum(counts.values()))
            except SheetopsError as problem:
                entry = type(entry)(entry.root, entry.config, problem)
        rows.append((entry, progress))
    return render(request, "rounds.html", {"rows": rows, "actor": actor,
                                           "problem_text": lambda e: e.render(
                                               page_lang(request))})


def _matches(recipient: RecipientStatus, query: str) -> bool:
    query = query.casefold()
    return any(query in value.casefold() for value in (recipient.code, recipient.name,
                                                       recipient.email))


def _owing(recipient: RecipientStatus) -> bool:
    return not recipient.complete or any(f.newer_rejected for f in recipient.forms)


@round_page(READ)
async def dashboard(request: Request, actor: Actor, round_: Round) -> Response:
    """Counts by state and the chase list: who owes which form, searchable, by pages."""
    console = console_of(request)
    status = await run_in_threadpool(console.status, round_)
    query = request.query_params.get("q", "").strip()[:100]
    state = request.query_params.get("state", "owing")
    if state not in STATES:
        state = "owing"
    chosen = [r for r in status.recipients
              if (not query or _matches(r, query))
              and (state == "all" or (state == "owing" and _owing(r))
                   or any(f.status == state for f in r.forms))]
    pages = max(1, math.ceil(len(chosen) / PAGE_SIZE))
    try:
        page = min(max(1, int(request.query_params.get("page", "1"))), pages)
    except ValueError:
        page = 1
    shown = chosen[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    reminded = await run_in_threadpool(last_reminders, round_, {r.code for r in shown})
    counts = status.counts()
    context = {
        "actor": actor, "counts": counts, "total": sum(counts.values()),
        "held": status.held, "recipients": shown, "matching": len(chosen), "page": page,
        "pages": pages,
        "query": query, "state": state, "states": STATES, "reminded": reminded,
        "names": {b.code: b.name for b in round_.roster.branches},
        "phones": {b.code: b.phone for b in round_.roster.branches if b.phone},
        "link": lambda **params: request.url.path + "?" + urlencode(
            {"q": query, "state": state, "page": str(page), **params}),
    }
    template = "chase.html" if request.headers.get("hx-request") else "dashboard.html"
    return render(request, template, context, round_=round_)


@round_page(READ)
async def chase_xlsx(request: Request, actor: Actor, round_: Round) -> Response:
    """The chase list as a workbook, as it stands now (the same as ``status --xlsx``)."""
    path = await run_in_threadpool(chase_round, round_)
    return FileResponse(path, filename=path.name, media_type=downloads.XLSX)


# -- uploads and jobs -------------------------------------------------------------------------


@round_page(UPLOAD)
async def upload_page(request: Request, actor: Actor, round_: Round) -> Response:
    """The upload form: drag and drop workbooks or a .zip."""
    return render(request, "upload.html", {"actor": actor, "error": None}, round_=round_)


async def saved_uploads(request: Request, folder: Path) -> list[Upload]:
    """The posted files, each saved under a name of the server's choosing."""
    form = await request.form(max_files=5000, max_fields=20)
    uploads = []
    for number, value in enumerate(form.getlist("files"), start=1):
        if not isinstance(value, UploadFile) or not value.filename:
            continue
        path = folder / f"upload-{number:05d}.bin"
        with path.open("wb") as handle:
            while chunk := await value.read(1 << 20):
                handle.write(chunk)
        uploads.append(Upload(path, value.filename))
    return uploads


async def take_uploads(request: Request, round_: Round) -> tuple[list[Upload], Path]:
    """Save the posted files into a temporary folder and check them against the round's
    limits (413, recording nothing, when too large).

    Raises:
        HTTPException: 413 too large, 400 when no file was sent.
    """
    folder = Path(tempfile.mkdtemp(prefix="sheetops-upload-"))
    try:
        uploads = await saved_uploads(request, folder)
        if not uploads:
            raise HTTPException(400)
        try:
            check_upload(round_, uploads)
        except SheetopsError as error:
            raise HTTPException(413, detail=error.render(page_lang(request, round_))) from error
    except BaseException:
        remove_folder(folder)()
        raise
    return uploads, folder


@round_page(UPLOAD)
async def upload(request: Request, actor: Actor, round_: Round) -> Response:
    """Take the files in through the same pipeline as ``collect``; follow it on a job page."""
    try:
        uploads, folder = await take_uploads(request, round_)
    except HTTPException as refused:
        if refused.status_code != 413:
            raise
        return render(request, "upload.html", {"actor": actor, "error": refused.detail},
                      round_=round_, status=413)
    audit(request, actor, "upload", round_.config.id,
          ", ".join(u.name for u in uploads)[:500])
    lang = page_lang(request, round_)
    job = console_of(request).jobs.start(
        "collect", round_.config.id, actor.name, lang,
        lambda job: run_in_child(work.collect_uploaded, {
            "root": str(round_.paths.root), "source": f"upload:{actor.name}",
            "uploads": [(str(u.path), u.name) for u in uploads]}, lang, job),
        cleanup=remove_folder(folder))
    return back(f"/rounds/{quote(round_.config.id)}/jobs/{job.id}")


@round_page(READ)
async def job_page(request: Request, actor: Actor, round_: Round) -> Response:
    """A job's progress, then its outcome (the fragment is polled while it runs)."""
    job = console_of(request).jobs.get(request.path_params["job_id"])
    if job is None or job.round_id != round_.config.id:
        raise HTTPException(404)
    template = "job_state.html" if request.headers.get("hx-request") else "job.html"
    return render(request, template, {"actor": actor, "job": job,
                                      "files": work.outcome_rows(job)}, round_=round_)


@round_page(UPLOAD)
async def fetch_mail(request: Request, actor: Actor, round_: Round) -> Response:
    """Read the round's IMAP folder now ([mail] imap; the password typed, never stored)."""
    fields = await form_of(request)
    round_mailbox(round_, fields.get("password", ""))  # refuses a round without [mail] imap
    audit(request, actor, "fetch-mail", round_.config.id, round_.config.mail.imap)
    lang = page_lang(request, round_)
    job = console_of(request).jobs.start(
        "collect", round_.config.id, actor.name, lang,
        lambda job: run_in_child(work.collect_mail, {
            "root": str(round_.paths.root), "password": fields.get("password", "")},
            lang, job))
    return back(f"/rounds/{quote(round_.config.id)}/jobs/{job.id}")


@round_page(GENERATE)
async def generate(request: Request, actor: Actor, round_: Round) -> Response:
    """Write every pack, the manifest and the handbooks (as ``sheetops generate``)."""
    audit(request, actor, "generate", round_.config.id)
    lang = page_lang(request, round_)

    def work_(job: Job) -> dict[str, Any]:
        result = generate_scoresheets(round_)
        return {"packs": len(result.packs), "forms": result.form_count,
                "handbooks": len(result.handbooks)}

    job = console_of(request).jobs.start("generate", round_.config.id, actor.name, lang, work_)
    return back(f"/rounds/{quote(round_.config.id)}/jobs/{job.id}")


@round_page(READ)
async def packs_page(request: Request, actor: Actor, round_: Round) -> Response:
    """The generated packs: all as one .zip, or one recipient's."""
    packs = await run_in_threadpool(downloads.generated_packs, round_)
    return render(request, "packs.html", {"actor": actor, "packs": packs}, round_=round_)


def temporary_download(write: Callable[[Any], int], name: str) -> FileResponse:
    """A .zip written to a temporary file, removed once sent."""
    descriptor, temporary = tempfile.mkstemp(prefix="sheetops-", suffix=".zip")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
    except BaseException:
        os.unlink(temporary)
        raise
    return FileResponse(temporary, filename=name, media_type="application/zip",
                        background=BackgroundTask(os.unlink, temporary))


@round_page(READ)
async def packs_zip(request: Request, actor: Actor, round_: Round) -> Response:
    """Every pack, handbook and the manifest as one .zip."""
    return await run_in_threadpool(
        temporary_download, lambda out: downloads.write_packs_zip(round_, out),
        f"{round_.config.id}-packs.zip")


def _backup_download(round_: Round) -> FileResponse:
    """The round's backup, written to a temporary folder and removed once sent."""
    folder = Path(tempfile.mkdtemp(prefix="sheetops-backup-"))
    name = f"{round_.config.id}-backup-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.zip"
    try:
        written = upkeep.backup_round(round_, folder / name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(written.path, filename=name, media_type="application/zip",
                        background=BackgroundTask(shutil.rmtree, folder, True))


@round_page(SETTINGS)
async def backup_zip(request: Request, actor: Actor, round_: Round) -> Response:
    """The whole round as a backup .zip (it holds the signing key: administrators only)."""
    response = await run_in_threadpool(_backup_download, round_)
    audit(request, actor, "backup", round_.config.id)
    return response


@round_page(READ)
async def pack_file(request: Request, actor: Actor, round_: Round) -> Response:
    """One recipient's pack."""
    found = downloads.pack_download(round_, request.path_params["code"])
    return FileResponse(found.path, filename=found.name, media_type=found.media_type)


# -- mail: send, remind, feedback -------------------------------------------------------------


def _mail_kind(request: Request) -> str:
    kind = request.path_params["kind"]
    if kind not in MAIL_KINDS:
        raise HTTPException(404)
    return str(kind)


def _mail_run(round_: Round, kind: str, transport: Any) -> dict[str, Any]:
    if kind == "send":
        return send_packs(round_, transport).to_json()
    if kind == "remind":
        return remind_recipients(round_, transport).to_json()
    return send_feedback(round_, transport).to_json()


@round_page(SEND)
async def mail_preview(request: Request, actor: Actor, round_: Round) -> Response:
    """Write the messages as drafts and show them: nothing is sent or recorded."""
    kind = _mail_kind(request)
    report = await run_in_threadpool(_mail_run, round_, kind,
                                     round_transport(round_, dry_run=True))
    drafts = [(outcome, work.draft_text(outcome["draft"])) for outcome in report["outcomes"]]
    return render(request, "mail.html", {"actor": actor, "kind": kind, "report": report,
                                         "drafts": drafts}, round_=round_)


@round_page(SEND)
async def mail_send(request: Request, actor: Actor, round_: Round) -> Response:
    """Send for real, through the round's SMTP server; follow it on a job page."""
    kind = _mail_kind(request)
    fields = await form_of(request)
    transport = round_transport(round_, fields.get("password", ""))
    audit(request, actor, f"mail-{kind}", round_.config.id)
    lang = page_lang(request, round_)
    job = console_of(request).jobs.start(
        kind, round_.config.id, actor.name, lang,
        lambda job: _mail_run(round_, kind, transport))
    return back(f"/rounds/{quote(round_.config.id)}/jobs/{job.id}")


# -- one received file --------------------------------------------------------------------


@round_page(READ)
async def file_page(request: Request, actor: Actor, round_: Round) -> Response:
    """One received file: the values read, its issues, its SHA-256, the versions it replaced."""
    detail = await run_in_threadpool(file_detail, round_, request.path_params["sha256"])
    items = {item.id: item for item in round_.scheme.items}
    return render(request, "file.html", {
        "actor": actor, "detail": detail, "items": items, "error": None,
        "done": request.query_params.get("done")}, round_=round_)


@round_page(READ)
async def file_download(request: Request, actor: Actor, round_: Round) -> Response:
    """The received file's bytes, exactly as they arrived."""
    _, found = downloads.received_download(round_, request.path_params["sha256"])
    return FileResponse(found.path, filename=found.name, media_type="application/octet-stream")


@round_page(VETO)
async def accept(request: Request, actor: Actor, round_: Round) -> Response:
    """Count a file held for review; the reason is required and recorded."""
    sha256 = request.path_params["sha256"]
    note = (await form_of(request)).get("note", "")
    try:
        done = await run_in_threadpool(accept_held, round_, sha256, note)
    except SheetopsError as error:
        detail = await run_in_threadpool(file_detail, round_, sha256)
        items = {item.id: item for item in round_.scheme.items}
        return render(request, "file.html", {
            "actor": actor, "detail": detail, "items": items, "done": None,
            "error": error.render(page_lang(request, round_))}, round_=round_, status=400)
    audit(request, actor, "accept", round_.config.id,
          f"{done.file.sha256[:12]} {', '.join(done.form_ids)}: {note.strip()}")
    return back(f"/rounds/{quote(round_.config.id)}/files/{done.file.sha256}", done="accepted")


# -- vetoes -----------------------------------------------------------------------------------


@round_page(READ)
async def vetoes_page(request: Request, actor: Actor, round_: Round) -> Response:
    """The committee's vetoes, with the form to record or revoke one."""
    with Ledger(round_.paths.ledger) as ledger:
        active = ledger.active_vetoes()
    return render(request, "vetoes.html", {
        "actor": actor, "active": active, "error": None,
        "done": request.query_params.get("done"),
        "names": {b.code: b.name for b in round_.roster.branches},
        "questions": {v.id: v.text for v in round_.scheme.vetoes}}, round_=round_)


@round_page(VETO)
async def veto(request: Request, actor: Actor, round_: Round) -> Response:
    """Record or revoke a committee veto; the reason is required."""
    fields = await form_of(request)
    branch, veto_id = fields.get("branch", ""), fields.get("veto", "")
    note, remove = fields.get("note", ""), fields.get("remove") == "1"
    try:
        record_committee_veto(round_, branch, veto_id, note, remove=remove)
    except SheetopsError as error:
        with Ledger(round_.paths.ledger) as ledger:
            active = ledger.active_vetoes()
        return render(request, "vetoes.html", {
            "actor": actor, "active": active, "done": None,
            "error": error.render(page_lang(request, round_)),
            "names": {b.code: b.name for b in round_.roster.branches},
            "questions": {v.id: v.text for v in round_.scheme.vetoes}}, round_=round_,
            status=400)
    veto_id = find_veto(round_.scheme, veto_id, round_.lang).id
    audit(request, actor, "veto-revoke" if remove else "veto", round_.config.id,
          f"{branch} {veto_id}: {note.strip()}")
    return back(f"/rounds/{quote(round_.config.id)}/vetoes",
                done="revoked" if remove else "recorded")


# -- ranking and reports --------------------------------------------------------------------


@round_page(READ)
async def ranking_page(request: Request, actor: Actor, round_: Round) -> Response:
    """The ranking as it stands, the section chart and the rater-analysis flags."""
    template = "print.html" if request.url.path.endswith("/print") else "ranking.html"
    return await _ranking(request, actor, round_, template)


async def _ranking(request: Request, actor: Actor, round_: Round, template: str, *,
                   error: str | None = None, status: int = 200) -> Response:
    ranking = await run_in_threadpool(current_ranking, round_)
    questions = {v.id: v.text for v in round_.scheme.vetoes}
    return render(request, template, {
        "actor": actor, "ranking": ranking, "chart": work.section_chart(round_, ranking),
        "flags": work.analysis_flags(round_, ranking, page_lang(request, round_)),
        "done": request.query_params.get("done"), "error": error,
        "vetoes_of": lambda ids: [questions.get(i, i) for i in ids]}, round_=round_,
        status=status)


@round_page(RANK)
async def rank(request: Request, actor: Actor, round_: Round) -> Response:
    """Rank and write the summary, the results export and the feedback (``sheetops rank``)."""
    await run_in_threadpool(rank_round, round_)
    audit(request, actor, "rank", round_.config.id)
    return back(f"/rounds/{quote(round_.config.id)}/ranking", done="ranked")


@round_page(RANK)
async def write_feedback(request: Request, actor: Actor, round_: Round) -> Response:
    """Write every branch's feedback workbook (``sheetops feedback``); while forms are
    outstanding, only when marked provisional."""
    provisional = (await form_of(request)).get("provisional") == "1"
    try:
        await run_in_threadpool(feedback_round, round_, provisional=provisional)
    except SheetopsError as error:
        return await _ranking(request, actor, round_, "ranking.html",
                              error=error.render(page_lang(request, round_)), status=400)
    audit(request, actor, "feedback-provisional" if provisional else "feedback",
          round_.config.id)
    return back(f"/rounds/{quote(round_.config.id)}/ranking", done="feedback")


@round_page(RANK)
async def write_records(request: Request, actor: Actor, round_: Round) -> Response:
    """Consolidate the handbooks (``sheetops records``)."""
    await run_in_threadpool(records_round, round_)
    audit(request, actor, "records", round_.config.id)
    return back(f"/rounds/{quote(round_.config.id)}/ranking", done="records")


@round_page(READ)
async def report(request: Request, actor: Actor, round_: Round) -> Response:
    """Download a report: summary, results.csv, results.json, rejections, rejections.csv,
    records, feedback (one .zip)."""
    kind = request.path_params["kind"]
    if kind == "feedback":
        return await run_in_threadpool(
            temporary_download, lambda out: downloads.write_feedback_zip(round_, out),
            f"{round_.config.id}-feedback.zip")
    found = downloads.report_download(round_, kind)
    return FileResponse(found.path, filename=found.name, media_type=found.media_type)


# -- settings, audit, accounts ----------------------------------------------------------------


@round_page(SETTINGS)
async def settings_page(request: Request, actor: Actor, round_: Round) -> Response:
    """round.toml, to read and edit (admin)."""
    return render(request, "settings.html", {
        "actor": actor, "toml": round_.paths.config.read_text(encoding="utf-8"),
        "error": None, "done": request.query_params.get("done")}, round_=round_)


@round_page(SETTINGS)
async def settings(request: Request, actor: Actor, round_: Round) -> Response:
    """Save round.toml after the same checks ``sheetops`` applies when it reads it."""
    fields = await form_of(request)
    edited = fields.get("toml", "").replace("\r\n", "\n")
    lang = page_lang(request, round_)
    try:
        config = parse_round_config(load_settings(edited))
        if config.id != round_.config.id:
            raise SheetopsError("settings.id-changed", old=round_.config.id, new=config.id)
    except SheetopsError as error:
        message = error.render(lang)
    else:
        temporary = round_.paths.config.with_name(".round.toml.tmp")
        temporary.write_text(edited, encoding="utf-8")
        os.replace(temporary, round_.paths.config)
        audit(request, actor, "settings", round_.config.id)
        return back(f"/rounds/{quote(round_.config.id)}/settings", done="saved")
    return render(request, "settings.html", {"actor": actor, "toml": edited, "error": message,
                                             "done": None}, round_=round_, status=400)


@plain_page(AUDIT)
async def audit_page(request: Request, actor: Actor) -> Response:
    """The audit log, newest first, by pages."""
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    entries = accounts.audit_entries(console_of(request).workspace, limit=PAGE_SIZE + 1,
                                     offset=(page - 1) * PAGE_SIZE)
    return render(request, "audit.html", {"actor": actor, "entries": entries[:PAGE_SIZE],
                                          "page": page, "more": len(entries) > PAGE_SIZE})


@plain_page(AUDIT)
async def audit_csv(request: Request, actor: Actor) -> Response:
    """The whole audit log as CSV (UTF-8 with BOM, for Excel)."""
    body = "\ufeff" + accounts.audit_csv(console_of(request).workspace)
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": "attachment; filename=audit.csv"})


@plain_page(ACCOUNTS)
async def accounts_page(request: Request, actor: Actor) -> Response:
    """Accounts and API tokens (admin)."""
    workspace = console_of(request).workspace
    return render(request, "accounts.html", {
        "actor": actor, "users": accounts.list_users(workspace),
        "tokens": accounts.list_tokens(workspace), "roles": ACCOUNT_ROLES, "error": None,
        "done": request.query_params.get("done"), "new_token": None})


@plain_page(ACCOUNTS)
async def accounts_change(request: Request, actor: Actor) -> Response:
    """Add or remove an account, set a password, create or revoke a token."""
    fields = await form_of(request)
    workspace = console_of(request).workspace
    who, where = actor.name, address_of(request)
    action = fields.get("action", "")
    new_token = None
    try:
        if action == "add":
            await run_in_threadpool(lambda: accounts.add_user(
                workspace, fields.get("name", ""), fields.get("role", ""),
                fields.get("password", ""), actor=who, address=where))
        elif action == "remove":
            accounts.remove_user(workspace, fields.get("name", ""), actor=who, address=where)
        elif action == "passwd":
            await run_in_threadpool(lambda: accounts.change_password(
                workspace, fields.get("name", ""), fields.get("password", ""), actor=who,
                address=where))
        elif action == "token":
            new_token = accounts.add_token(workspace, fields.get("name", ""), actor=who,
                                           address=where).secret
        elif action == "revoke":
            accounts.revoke_token(workspace, int(fields.get("id", "0") or 0), actor=who,
                                  address=where)
        else:
            raise HTTPException(400)
    except SheetopsError as error:
        return render(request, "accounts.html", {
            "actor": actor, "users": accounts.list_users(workspace),
            "tokens": accounts.list_tokens(workspace), "roles": ACCOUNT_ROLES,
            "error": error.render(page_lang(request)), "done": None, "new_token": None},
            status=400)
    if new_token is not None:  # shown once, on this answer only
        return render(request, "accounts.html", {
            "actor": actor, "users": accounts.list_users(workspace),
            "tokens": accounts.list_tokens(workspace), "roles": ACCOUNT_ROLES, "error": None,
            "done": "token", "new_token": new_token})
    return back("/accounts", done=action)


async def static(request: Request) -> Response:
    """A vendored static file by its hashed name (cached for good)."""
    found = console_of(request).pages.static.get(request.path_params["name"])
    if found is None:
        raise HTTPException(404)
    return FileResponse(found.path, media_type=found.media_type,
                        headers={"cache-control": "public, max-age=31536000, immutable"})


def routes() -> Sequence[BaseRoute]:
    """The console's page routes."""
    r = "/rounds/{round_id}"
    return [
        Route("/", home),
        Route("/favicon.ico", no_icon, methods=["GET"]),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/login/once/{secret}", login_once, methods=["GET"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/lang/{lang}", choose_language, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/rounds", rounds_page, methods=["GET"]),
        Route(r, dashboard, methods=["GET"]),
        Route(r + "/upload", upload_page, methods=["GET"]),
        Route(r + "/upload", upload, methods=["POST"]),
        Route(r + "/jobs/{job_id}", job_page, methods=["GET"]),
        Route(r + "/mail/fetch", fetch_mail, methods=["POST"]),
        Route(r + "/generate", generate, methods=["POST"]),
        Route(r + "/packs", packs_page, methods=["GET"]),
        Route(r + "/packs.zip", packs_zip, methods=["GET"]),
        Route(r + "/packs/{code}", pack_file, methods=["GET"]),
        Route(r + "/mail/{kind}", mail_preview, methods=["GET"]),
        Route(r + "/mail/{kind}", mail_send, methods=["POST"]),
        Route(r + "/chase.xlsx", chase_xlsx, methods=["GET"]),
        Route(r + "/files/{sha256}", file_page, methods=["GET"]),
        Route(r + "/files/{sha256}/accept", accept, methods=["POST"]),
        Route(r + "/files/{sha256}/download", file_download, methods=["GET"]),
        Route(r + "/vetoes", vetoes_page, methods=["GET"]),
        Route(r + "/vetoes", veto, methods=["POST"]),
        Route(r + "/ranking", ranking_page, methods=["GET"]),
        Route(r + "/print", ranking_page, methods=["GET"]),
        Route(r + "/rank", rank, methods=["POST"]),
        Route(r + "/feedback", write_feedback, methods=["POST"]),
        Route(r + "/records", write_records, methods=["POST"]),
        Route(r + "/reports/{kind}", report, methods=["GET"]),
        Route(r + "/settings", settings_page, methods=["GET"]),
        Route(r + "/settings", settings, methods=["POST"]),
        Route(r + "/backup.zip", backup_zip, methods=["GET"]),
        Route("/audit", audit_page, methods=["GET"]),
        Route("/audit.csv", audit_csv, methods=["GET"]),
        Route("/accounts", accounts_page, methods=["GET"]),
        Route("/accounts", accounts_change, methods=["POST"]),
    ]
