"""The JSON API under ``/api/``, for scripts and the unit's other systems (docs/api.md).

Requests authenticate with ``Authorization: Bearer <token>`` (``sheetops token add``); the
token carries its account's role. The documents are the CLI's: an upload answers with what
``collect --json`` prints, a rank with what ``rank --json`` prints.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sheetops.app import accounts, downloads
from sheetops.app.rank import rank_round
from sheetops.app.veto import branch_code, find_veto, record_committee_veto
from sheetops.core.errors import SheetopsError
from sheetops.core.i18n import text
from sheetops.model.workspace import Round
from sheetops.web import views, work
from sheetops.web.auth import AUDIT, RANK, READ, UPLOAD, VETO, Actor, permitted
from sheetops.web.jobs import remove_folder, run_in_child

Endpoint = Callable[[Request, Actor, Round | None], Awaitable[Response]]


def problem(status: int, error: str, message: str) -> JSONResponse:
    """A JSON error document."""
    return JSONResponse({"error": error, "message": message}, status_code=status)


def endpoint(action: str, *, per_round: bool = True) -> Callable[[Endpoint], Callable[
        [Request], Awaitable[Response]]]:
    """An API route: 401 without a valid token (or session), 403 when the role does not
    allow ``action``, 404 for an unknown round; a round's problem is a 409 document."""

    def decorate(handler: Endpoint) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            actor = views.actor_of(request)
            lang = views.page_lang(request)
            if actor is None:
                return JSONResponse({"error": "unauthorized",
                                     "message": text(lang, "web.unauthorized")},
                                    status_code=401,
                                    headers={"www-authenticate": "Bearer"})
            if not permitted(actor, action):
                return problem(403, "forbidden", text(lang, "web.forbidden"))
            round_ = None
            if per_round:
                try:
                    round_ = await run_in_threadpool(views.console_of(request).round,
                                                     request.path_params["round_id"])
                except SheetopsError as error:
                    return problem(404, "no-round", error.render(lang))
                lang = views.page_lang(request, round_)
            try:
                return await handler(request, actor, round_)
            except SheetopsError as error:
                return problem(409, error.key, error.render(lang))

        return run

    return decorate


@endpoint(READ, per_round=False)
async def rounds(request: Request, actor: Actor, round_: Round | None) -> Response:
    """``GET /api/rounds``: every round with its progress."""
    console = views.console_of(request)
    found = []
    for entry in await run_in_threadpool(console.rounds):
        item: dict[str, Any] = {"id": entry.id, "folder": entry.root.name,
                                "title": entry.config.title if entry.config else None,
                                "period": entry.config.period if entry.config else None,
                                "deadline": (entry.config.deadline.isoformat()
                                             if entry.config else None),
                                "problem": entry.problem.render("en") if entry.problem
                                else None}
        if entry.config is not None and entry.problem is None:
            status = await run_in_threadpool(console.status, console.round(entry.id))
            item["counts"] = status.to_json()["counts"]
        found.append(item)
    return JSONResponse({"rounds": found})


@endpoint(READ)
async def status(request: Request, actor: Actor, round_: Round | None) -> Response:
    """``GET /api/rounds/{id}/status``: the ``status --json`` document."""
    assert round_ is not None
    report = await run_in_threadpool(views.console_of(request).status, round_)
    return JSONResponse(report.to_json())


@endpoint(UPLOAD)
async def uploads(request: Request, actor: Actor, round_: Round | None) -> Response:
    """``POST /api/rounds/{id}/uploads`` (multipart, field ``files``, repeated; .zip too):
    the ``collect --json`` document."""
    assert round_ is not None
    try:
        files, folder = await views.take_uploads(request, round_)
    except HTTPException as refused:
        if refused.status_code == 413:
            return problem(413, "too-large", str(refused.detail))
        return problem(400, "no-files", text(views.page_lang(request, round_),
                                                   "upload.nothing"))
    views.audit(request, actor, "upload", round_.config.id,
                ", ".join(u.name for u in files)[:500])
    job = views.console_of(request).jobs.start(
        "collect", round_.config.id, actor.name, round_.lang,
        lambda job: run_in_child(work.collect_uploaded, {
            "root": str(round_.paths.root), "source": f"upload:{actor.name}",
            "uploads": [(str(u.path), u.name) for u in files]}, round_.lang, job),
        cleanup=remove_folder(folder))
    await run_in_threadpool(job.event.wait)
    if job.result is None:
        return problem(409 if job.error else 500, "collect-failed",
                       job.error or text(round_.lang, "web.bug",
                                               error_id=job.error_id or ""))
    return JSONResponse(job.result)


@endpoint(RANK)
async def rank(request: Request, actor: Actor, round_: Round | None) -> Response:
    """``POST /api/rounds/{id}/rank``: rank, write the reports; the ``rank --json``
    document."""
    assert round_ is not None
    report = await run_in_threadpool(rank_round, round_)
    views.audit(request, actor, "rank", round_.config.id)
    return JSONResponse(report.to_json())


@endpoint(VETO)
async def vetoes(request: Request, actor: Actor, round_: Round | None) -> Response:
    """``POST /api/rounds/{id}/vetoes`` with ``{"branch", "veto", "note", "remove"}``."""
    assert round_ is not None
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return problem(400, "bad-json", text(round_.lang, "web.bad-json"))
    branch, veto_id = str(body.get("branch", "")), str(body.get("veto", ""))
    note, remove = str(body.get("note", "")), bool(body.get("remove", False))
    branch = branch_code(round_, branch)  # a full name given: its code
    count = record_committee_veto(round_, branch, veto_id, note, remove=remove)
    veto_id = find_veto(round_.scheme, veto_id, round_.lang).id  # a name given: its id
    views.audit(request, actor, "veto-revoke" if remove else "veto", round_.config.id,
                f"{branch} {veto_id}: {note.strip()}")
    return JSONResponse({"round": round_.config.id, "branch": branch, "veto": veto_id,
                         "removed" if remove else "recorded": count})


@endpoint(READ)
async def report(request: Request, actor: Actor, round_: Round | None) -> Response:
    """``GET /api/rounds/{id}/reports/{kind}``: summary, results.csv, results.json,
    rejections, rejections.csv or records."""
    assert round_ is not None
    found = downloads.report_download(round_, request.path_params["kind"])
    return FileResponse(found.path, filename=found.name, media_type=found.media_type)


@endpoint(AUDIT)
async def audit(request: Request, actor: Actor, round_: Round | None) -> Response:
    """``GET /api/rounds/{id}/audit``: the round's audit entries, newest first."""
    assert round_ is not None
    entries = accounts.audit_entries(views.console_of(request).workspace,
                                     round_id=round_.config.id)
    return JSONResponse({"round": round_.config.id, "entries": [
        {"at": e.at, "actor": e.actor, "address": e.address, "action": e.action,
         "detail": e.detail} for e in entries]})


def routes() -> Sequence[BaseRoute]:
    """The API's routes."""
    r = "/api/rounds/{round_id}"
    return [
        Route("/api/rounds", rounds, methods=["GET"]),
        Route(r + "/status", status, methods=["GET"]),
        Route(r + "/uploads", uploads, methods=["POST"]),
        Route(r + "/rank", rank, methods=["POST"]),
        Route(r + "/vetoes", vetoes, methods=["POST"]),
        Route(r + "/reports/{kind}", report, methods=["GET"]),
        Route(r + "/audit", audit, methods=["GET"]),
    ]
