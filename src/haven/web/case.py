"""The one case a running web app serves: its vault (open or locked), sessions, the running job.

The vault's SQLite connection may only be used from the thread that opened it, so every vault
call runs on one dedicated worker thread (which also serialises writes). Sessions are only
touched from the event loop. Locking closes the vault and forgets every session; the passphrase
is never kept: it is used once to open the vault and then dropped.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from haven.vault import Vault
from haven.vault.keys import unlock
from haven.web.downloads import KEEP, Download, Made, NoticePreview
from haven.web.queries import Overview, Spread

T = TypeVar("T")


class Locked(Exception):
    """The request needs an unlocked case and a live session."""


class Busy(Exception):
    """A job (ingest, scan...) holds the vault; pages wait for it rather than queue behind it."""


@dataclass
class Session:
    token: str
    csrf: str
    last_seen: float


@dataclass
class Job:
    """One long run on the vault thread (an ingest, a scan, protecting media), shared between
    the worker (writes) and progress requests (read). Implements `haven.ingest.Progress`."""

    id: str
    kind: str  # ingest, scan, protect
    page: str  # where its progress and result are shown
    names: list[str]
    state: str = "running"  # running, done, failed
    current: str = ""
    records: int = 0
    total: int | None = None
    steps_done: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    # The `haven.ingest.Progress` protocol (a label, or the path in older versions of it).
    def start(self, label: str | Path, total: int | None) -> None:
        if self.current:
            self.steps_done += 1
        self.current = label.name if isinstance(label, Path) else str(label)
        self.total = total
        self.records = 0

    def advance(self, records: int) -> None:
        self.records += records

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "state": self.state, "current": self.current,
                "records": self.records, "total": self.total, "steps_done": self.steps_done,
                "files": len(self.names), "error": self.error, **self.result}


JobWork = Callable[[Vault, Job], dict[str, Any]]


class Case:
    def __init__(self, directory: Path, idle_timeout: float) -> None:
        self.directory = Path(directory)
        self.idle_timeout = idle_timeout
        self.vault: Vault | None = None
        self.sessions: dict[str, Session] = {}
        self.job: Job | None = None
        # The last overview, reused while the ledger has not moved; dropped when the case locks.
        self.overview: Overview | None = None
        self.spread: Spread | None = None
        # Reports made in this session, in memory only, newest first; forgotten on lock.
        self.downloads: list[Download] = []
        self.notice_previews: list[NoticePreview] = []
        self._job_future: Future[None] | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="haven-vault")
        self._unlock_guard = threading.Lock()
        self._unlocking = 0

    # -- the worker ----------------------------------------------------------------------------

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` on the vault thread without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn, *args)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(vault, *args)`; `Locked` if the vault is closed, `Busy` while a job runs."""
        if self.job_running:
            raise Busy
        return await self.run(self._with_vault, fn, *args)

    def read_now(self, fn: Callable[..., T], *args: Any) -> T:
        """`read` for code outside the event loop (tests, tools): blocks until done."""
        return self._worker.submit(self._with_vault, fn, *args).result()

    def _with_vault(self, fn: Callable[..., T], *args: Any) -> T:
        if self.vault is None:
            raise Locked
        return fn(self.vault, *args)

    # -- sessions ------------------------------------------------------------------------------

    def session(self, token: str | None, touch: bool = True) -> Session | None:
        """The live session for a cookie value, if the case is open and it has not idled out."""
        if not token or self.vault is None:
            return None
        found = self.sessions.get(token)
        if found is None:
            return None
        now = time.monotonic()
        if now - found.last_seen > self.idle_timeout:
            return None
        if touch:
            found.last_seen = now
        return found

    async def unlock(self, passphrase: str) -> Session:
        """Open the vault (or check the passphrase if it is open); raises `WrongPassphrase`."""
        self._unlocking += 1  # the idle watcher must not close what is being opened
        try:
            await self.run(self._open, passphrase)
            session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32),
                              time.monotonic())
            self.sessions[session.token] = session
        finally:
            self._unlocking -= 1
        return session

    def _open(self, passphrase: str) -> None:
        with self._unlock_guard:
            if self.vault is None:
                self.vault = Vault.open(self.directory, passphrase)
            else:
                unlock(self.directory, passphrase)

    async def lock(self) -> None:
        """Forget every session and close the vault (after a running job finishes)."""
        self.sessions.clear()
        await self.run(self._close)

    def _close(self) -> None:
        self.overview = None
        self.spread = None
        self.downloads = []
        self.notice_previews = []
        if self.vault is not None:
            self.vault.close()
            self.vault = None

    async def lock_if_idle(self) -> bool:
        """Lock when no session was seen within the idle timeout and no job is running."""
        if self.vault is None or self.job_running or self._unlocking:
            return False
        now = time.monotonic()
        if any(now - s.last_seen <= self.idle_timeout for s in self.sessions.values()):
            return False
        await self.lock()
        return True

    async def shutdown(self) -> None:
        self.sessions.clear()
        await self.run(self._close)
        self._worker.shutdown(wait=False, cancel_futures=True)

    def keep(self, made: Made) -> None:
        self.downloads = (made.downloads + self.downloads)[:KEEP]
        if made.previews:
            self.notice_previews = made.previews

    # -- long runs ------------------------------------------------------------------------------

    @property
    def job_running(self) -> bool:
        return self.job is not None and self.job.state == "running"

    def start_job(
        self, kind: str, page: str, names: list[str], work: JobWork, cleanup: Path | None = None
    ) -> Job:
        """Run `work(vault, job)` on the vault thread; `cleanup` (an upload folder) is removed
        after, whatever happens."""
        job = Job(secrets.token_hex(8), kind, page, names)
        self.job = job
        self._job_future = self._worker.submit(self._run_job, job, work, cleanup)
        return job

    def _run_job(self, job: Job, work: JobWork, cleanup: Path | None) -> None:
        try:
            if self.vault is None:
                raise Locked
            job.result = work(self.vault, job)
            if job.current:
                job.steps_done += 1
            job.state = "done"
        except Locked:
            job.state, job.error = "failed", "the case was locked before the work began"
        except Exception as exc:  # reported on the page; nothing already stored is lost
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = time.monotonic()
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)
