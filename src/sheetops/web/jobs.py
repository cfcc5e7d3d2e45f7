"""Long work (collecting, generating, sending) runs beside the server while a page follows it.

A job runs in a thread of its own and reports ``(done, total)`` as it goes. Collecting forks
sandboxed readers, which a multi-threaded server must not do from its own process: it runs in
a freshly spawned process instead, so a reader crash or a stuck mail server costs that job and
never the console. Jobs live in memory: after a restart a page names the job as unknown and the
ledger still holds everything that was recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import secrets
import shutil
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sheetops.core.errors import SheetopsError

LOG: Final = logging.getLogger("sheetops.web")
KEEP_FINISHED: Final = 200  # finished jobs remembered for their pages
RUNNING: Final = "running"
DONE: Final = "done"
FAILED: Final = "failed"

Progress = Callable[[int, int], None]


@dataclass
class Job:
    """One piece of long work and what came of it.

    Attributes:
        result: JSON-ready data for the page and the API (``collect --json`` for collecting).
        error: the message to show when it failed (in the round's language), and
            ``error_id`` when it failed by a bug (the traceback is in the server log).
    """

    id: str
    kind: str
    round_id: str
    actor: str
    started_at: dt.datetime
    state: str = RUNNING
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = None
    error: str | None = None
    error_id: str | None = None
    finished_at: dt.datetime | None = None
    event: threading.Event = field(default_factory=threading.Event, repr=False)

    def progress(self, done: int, total: int) -> None:
        """Record how far the job has come."""
        self.done, self.total = done, total


class Jobs:
    """The jobs of one console."""

    def __init__(self, after: Callable[[Job], None] | None = None) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._after = after  # run once a job has finished (and its page can show it)

    def start(self, kind: str, round_id: str, actor: str, lang: str,
              work: Callable[[Job], dict[str, Any]],
              cleanup: Callable[[], None] | None = None) -> Job:
        """Run ``work(job)`` in a thread; its return value becomes ``job.result``.

        A :class:`SheetopsError` fails the job with its message in ``lang``; anything else
        is a bug: it is logged with an error id, and the page shows only the id.
        """
        job = Job(secrets.token_urlsafe(12), kind, round_id, actor, dt.datetime.now(dt.UTC))

        def run() -> None:
            try:
                job.result = work(job)
                job.state = DONE
            except SheetopsError as error:
                job.error, job.state = error.render(lang), FAILED
            except Exception:
                job.error_id, job.state = secrets.token_hex(4), FAILED
                LOG.exception("job %s (%s) failed: error id %s", job.id, kind, job.error_id)
            finally:
                job.finished_at = dt.datetime.now(dt.UTC)
                if cleanup is not None:
                    cleanup()
                job.event.set()
                if self._after is not None:
                    self._after(job)

        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.state != RUNNING]
            for old in finished[:-KEEP_FINISHED]:
                del self._jobs[old.id]
        threading.Thread(target=run, name=f"job-{kind}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        """The job ``job_id``, if this console knows it."""
        with self._lock:
            return self._jobs.get(job_id)


class ChildFailed(SheetopsError):
    """Work run in a child process stopped with a problem (its message already rendered)."""


def _child(target: Callable[..., dict[str, Any]], kwargs: dict[str, Any], lang: str,
           connection: Any) -> None:
    def progress(done: int, total: int) -> None:
        connection.send(("progress", done, total))

    try:
        connection.send(("result", target(progress=progress, **kwargs)))
    except SheetopsError as error:
        connection.send(("problem", error.render(lang)))
    except BaseException:  # reported to the parent, which logs it with an error id
        connection.send(("bug", traceback.format_exc()))
    finally:
        connection.close()


def run_in_child(target: Callable[..., dict[str, Any]], kwargs: dict[str, Any], lang: str,
                 job: Job) -> dict[str, Any]:
    """Run ``target(progress=…, **kwargs)`` in a spawned process and return what it returns.

    ``target`` must be importable (a module-level function) and its arguments picklable.

    Raises:
        ChildFailed: the work stopped with a problem, or the process died.
        RuntimeError: the work raised a bug (its traceback is logged).
    """
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(target, kwargs, lang, sending),
                              name=f"sheetops-{job.kind}")  # not daemonic: it forks readers
    process.start()
    sending.close()
    outcome: tuple[Any, ...] | None = None
    try:
        while True:
            try:
                message = receiving.recv()
            except EOFError:
                break
            if message[0] == "progress":
                job.progress(message[1], message[2])
            else:
                outcome = message
    finally:
        receiving.close()
        process.join()
    if outcome is None:
        raise ChildFailed("console.child-died", code=process.exitcode)
    if outcome[0] == "problem":
        raise ChildFailed("console.child-problem", message=outcome[1])
    if outcome[0] == "bug":
        LOG.error("work in a child process failed:\n%s", outcome[1])
        raise RuntimeError("work in a child process failed")
    result: dict[str, Any] = outcome[1]
    return result


def remove_folder(path: Path) -> Callable[[], None]:
    """A cleanup that removes a job's temporary folder."""
    return lambda: shutil.rmtree(path, ignore_errors=True)
