"""The local web app: one case, served to one person's browser on 127.0.0.1.

What it must never do: listen beyond loopback, load anything from another origin, answer a
request whose Host is not this server (DNS rebinding), change anything without a CSRF token,
cache a page of the case, keep or log the passphrase, or log message text (the access log is
off: query strings can hold search words). Pages only read through `haven.reports` and
`haven.web.queries`; changes go through `Vault` methods and `haven.ingest.ingest`.
"""

from __future__ import annotations

import asyncio
import hmac
import re
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel.numbers import format_decimal
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData, UploadFile

from haven.ingest import ingest
from haven.reports.items import ItemFilter
from haven.vault import Vault, VaultError, WrongPassphrase
from haven.vault.case_vault import DECISIONS
from haven.web import charts, downloads, i18n, queries, setup
from haven.web.case import Busy, Case, Job, JobWork, Locked, Session
from haven.web.media import preview_jpeg

HERE = Path(__file__).parent
# Cookies are shared by every port of a host: the session and CSRF cookies carry the port, so
# two cases served side by side do not log each other out.
SESSION_COOKIE = "haven_session_{port}"
CSRF_COOKIE = "haven_csrf_{port}"
LANG_COOKIE = "haven_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
DEFAULT_PORT = 8765
ITEMS_PAGE = 200
SHA256 = re.compile(r"[0-9a-f]{64}")
RETURN_PAGES = ("/triage", "/media", "/items", "/ingest", "/reports", "/setup")
# Case settings the notices are signed with (see `haven settings`).
NOTICE_SETTINGS = ("notifier_name", "notifier_email", "representative", "represented")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; templates translate it when shown."""
    return message


class CsrfRejected(Exception):
    pass


class UploadTooLarge(Exception):
    pass


def safe_next(value: object, default: str = "/") -> str:
    """A local path to go back to; anything that could leave this origin becomes `default`."""
    text = str(value or "")
    if not text.startswith("/") or text.startswith("//") or "\\" in text or "\n" in text:
        return default
    return text


def safe_filename(name: str | None, index: int) -> str:
    base = Path((name or "").replace("\\", "/")).name
    base = re.sub(r"[^\w.\- ]", "_", base).strip(" .")[:120]
    return base or f"upload-{index}"


def create_app(
    vault_dir: Path,
    port: int = DEFAULT_PORT,
    idle_timeout: float = 600.0,
    max_upload_bytes: int = 1024 * 1024 * 1024,
    lock_check_every: float | None = None,
) -> FastAPI:
    """The web app for the case at `vault_dir`, to be served on 127.0.0.1:`port`.

    `idle_timeout` (seconds without a request) locks the case and closes the vault.
    """
    case = Case(Path(vault_dir), idle_timeout)
    session_cookie, csrf_cookie = SESSION_COOKIE.format(port=port), CSRF_COOKIE.format(port=port)
    allowed_hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    if port == 80:
        allowed_hosts |= {"127.0.0.1", "localhost"}
    allowed_origins = {f"http://{host}" for host in allowed_hosts}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        interval = lock_check_every or max(0.5, min(5.0, idle_timeout / 4))

        async def watch() -> None:
            while True:
                await asyncio.sleep(interval)
                await case.lock_if_idle()

        watcher = asyncio.create_task(watch())
        try:
            yield
        finally:
            watcher.cancel()
            await case.shutdown()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.case = case
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(("html", "svg")),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = lambda n: format_decimal(n, locale=i18n.current())
    env.globals["LANGUAGES"] = i18n.LANGUAGES
    env.globals["DECISIONS"] = DECISIONS

    # -- guards applied to every request --------------------------------------------------------

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        host = (request.headers.get("host") or "").lower()
        if host not in allowed_hosts:
            # DNS rebinding: another name pointing at 127.0.0.1 must not reach the case.
            response: Response = Response("Misdirected request", status_code=421,
                                          media_type="text/plain")
        elif request.method not in ("GET", "HEAD") and not _origin_ok(request):
            response = Response("Cross-origin request refused", status_code=403,
                                media_type="text/plain")
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-cache"
        else:
            response.headers["Cache-Control"] = "no-store, max-age=0"
            response.headers["Pragma"] = "no-cache"
        return response

    def _origin_ok(request: Request) -> bool:
        # With Referrer-Policy no-referrer, Chromium sends `Origin: null` on form posts; that
        # says nothing either way, and the CSRF token still has to match.
        origin = request.headers.get("origin")
        return origin is None or origin == "null" or origin in allowed_origins

    # -- rendering ------------------------------------------------------------------------------

    def language(request: Request) -> str:
        return i18n.choose(request.cookies.get(LANG_COOKIE),
                           request.headers.get("accept-language"))

    def live_session(request: Request) -> Session | None:
        return case.session(request.cookies.get(session_cookie))

    def render(
        request: Request, name: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        session = live_session(request)
        anon = request.cookies.get(csrf_cookie)
        new_anon = None
        if session is None and not anon:
            anon = new_anon = secrets.token_urlsafe(32)
        lang = language(request)
        with i18n.speaking(lang):
            html = env.get_template(name).render(
                request=request,
                lang=lang,
                unlocked=session is not None,
                csrf=session.csrf if session else anon,
                here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
                idle_ms=int(case.idle_timeout * 1000),
                job=case.job,
                **context,
            )
        response = HTMLResponse(html, status_code=status)
        if new_anon:
            response.set_cookie(csrf_cookie, new_anon, httponly=True, samesite="strict")
        return response

    # -- session and CSRF -----------------------------------------------------------------------

    async def require_session(request: Request) -> Session:
        session = live_session(request)
        if session is None:
            await case.lock_if_idle()
            raise Locked
        return session

    def check_csrf(request: Request, form: FormData | None, expected: str | None) -> None:
        given = request.headers.get(CSRF_HEADER)
        if given is None and form is not None:
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
        if not expected or not given or not hmac.compare_digest(given, expected):
            raise CsrfRejected

    async def protected_form(request: Request, **limits: int) -> tuple[Session, FormData]:
        """The posted form of a live session, after its CSRF token is checked."""
        session = await require_session(request)
        form = await request.form(**limits)
        check_csrf(request, form, session.csrf)
        return session, form

    @app.exception_handler(Locked)
    async def on_locked(request: Request, _: Exception) -> Response:
        if request.method == "GET":
            target = "/unlock"
            if request.url.path in RETURN_PAGES:  # back to the page, not to an image or JSON
                target += "?next=" + quote(request.url.path)
            return RedirectResponse(target, status_code=303)
        return render(request, "message.html", status=401, title=N_("Locked"),
                      message=N_("This case is locked. Unlock it to continue."))

    @app.exception_handler(Busy)
    async def on_busy(request: Request, _: Exception) -> Response:
        page = case.job.page if case.job else "/ingest"
        if request.method == "GET" and request.url.path != page:
            return RedirectResponse(page, status_code=303)
        return render(request, "message.html", status=409, title=N_("Please wait"),
                      message=N_("An import is running. Pages open again when it is done."))

    @app.exception_handler(CsrfRejected)
    async def on_csrf(request: Request, _: Exception) -> Response:
        return render(request, "message.html", status=403, title=N_("Request refused"),
                      message=N_("This form has expired or did not come from Haven. "
                                 "Go back, reload the page and try again."))

    @app.exception_handler(UploadTooLarge)
    async def on_too_large(request: Request, _: Exception) -> Response:
        return render(request, "message.html", status=413, title=N_("Upload too large"),
                      message=N_("The files are larger than this server accepts. "
                                 "Give a folder path instead."))

    # -- unlocking, locking, leaving ------------------------------------------------------------

    @app.get("/unlock", response_class=HTMLResponse)
    async def unlock_page(request: Request) -> Response:
        if live_session(request) is not None:
            return RedirectResponse("/", status_code=303)
        return render(request, "unlock.html", next=safe_next(request.query_params.get("next")),
                      error=None, case_name=case.directory.name)

    @app.post("/unlock")
    async def unlock(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=5, max_part_size=4096)
        check_csrf(request, form, request.cookies.get(csrf_cookie))
        passphrase = form.get("passphrase")
        target = safe_next(form.get("next"))
        error = None
        if not isinstance(passphrase, str) or not passphrase:
            error = N_("Enter the passphrase of this case.")
        else:
            try:
                session = await case.unlock(passphrase)
            except WrongPassphrase:
                error = N_("That passphrase does not open this case. Check the keyboard "
                           "language and Caps Lock, and try again.")
            except VaultError:
                error = N_("This case cannot be opened: the folder is not a Haven case or "
                           "it is damaged.")
            finally:
                del passphrase
        if error is not None:
            return render(request, "unlock.html", status=401, next=target, error=error,
                          case_name=case.directory.name)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(session_cookie, session.token, httponly=True, samesite="strict")
        response.delete_cookie(csrf_cookie)
        return response

    async def _lock(request: Request) -> None:
        session = live_session(request)
        if session is not None:
            form = None
            if request.headers.get(CSRF_HEADER) is None:
                form = await request.form(max_files=0, max_fields=5)
            check_csrf(request, form, session.csrf)
        await case.lock()

    @app.post("/lock")
    async def lock_now(request: Request) -> Response:
        await _lock(request)
        response = RedirectResponse("/unlock?locked=1", status_code=303)
        response.delete_cookie(session_cookie)
        return response

    @app.post("/exit")
    async def quick_exit(request: Request) -> Response:
        # Leaving must never fail, not even on an expired token: it only ever locks, and
        # locking is all a forged request could make it do.
        try:
            await _lock(request)
        except CsrfRejected:
            await case.lock()
        response = RedirectResponse("/weather", status_code=303)
        response.delete_cookie(session_cookie)
        return response

    @app.get("/weather", response_class=HTMLResponse)
    async def weather() -> Response:
        # Deliberately nothing of Haven: no shared template, script, style or title.
        return HTMLResponse((HERE / "static" / "weather.html").read_text(encoding="utf-8"))

    @app.get("/favicon.ico")
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.post("/lang")
    async def set_language(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=5)
        session = live_session(request)
        check_csrf(request, form, session.csrf if session else request.cookies.get(csrf_cookie))
        chosen = form.get("lang")
        response = RedirectResponse(safe_next(form.get("next")), status_code=303)
        if isinstance(chosen, str) and chosen in i18n.LANGUAGES:
            response.set_cookie(LANG_COOKIE, chosen, httponly=True, samesite="strict",
                                max_age=365 * 24 * 3600)
        return response

    # -- pages of the case ----------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    async def overview_page(request: Request) -> Response:
        await require_session(request)

        def load(vault: Vault) -> queries.Overview:
            view = queries.overview(vault, case.overview)
            case.overview = view
            return view

        view = await case.read(load)
        return render(request, "overview.html", view=view)

    @app.get("/overview/spread.svg")
    async def spread_svg(request: Request) -> Response:
        # A separate image so that the overview (the urgent findings first) never waits for
        # the scan of every item's date on a large case.
        await require_session(request)

        def load(vault: Vault) -> queries.Spread:
            case.spread = queries.spread(vault, case.spread)
            return case.spread

        chart = charts.spread_chart((await case.read(load)).per_day)
        svg = env.get_template("spread.svg").render(chart=chart)
        return Response(svg, media_type="image/svg+xml")

    @app.get("/triage", response_class=HTMLResponse)
    async def triage_page(request: Request, i: int = 0, kind: str | None = None) -> Response:
        await require_session(request)

        def load(vault: Vault) -> dict[str, Any]:
            total = queries.undecided_count(vault, kind)
            position = min(max(0, i), max(0, total - 1))
            queue = queries.triage_queue(vault, position, 12, kind)
            current = queue[0] if queue else None
            parent: queries.ContextItem | None = None
            siblings: list[queries.ContextItem] = []
            others: list[queries.FindingView] = []
            if current is not None:
                parent, siblings = queries.thread_context(vault, current.item_id,
                                                          current.parent_url)
                others = queries.other_findings(vault, current.item_id, current.id)
            return {"total": total, "position": position, "queue": queue, "current": current,
                    "parent": parent, "siblings": siblings, "others": others}

        data = await case.read(load)
        return render(request, "triage.html", kind=kind, **data)

    @app.post("/findings/{finding_id}/decide")
    async def decide(request: Request, finding_id: str) -> Response:
        _, form = await protected_form(request, max_files=0, max_fields=10)
        decision = form.get("decision")
        if decision not in DECISIONS:
            return render(request, "message.html", status=400, title=N_("Request refused"),
                          message=N_("Choose confirm, reject or not sure."))
        note = form.get("note")

        def record(vault: Vault) -> bool:
            if queries.finding(vault, finding_id) is None:
                return False
            vault.add_decision(finding_id, str(decision),
                               note if isinstance(note, str) and note.strip() else None)
            vault.checkpoint()
            return True

        if not await case.read(record):
            return render(request, "message.html", status=404, title=N_("Not found"),
                          message=N_("There is no such finding in this case."))
        return RedirectResponse(safe_next(form.get("next"), "/triage"), status_code=303)

    @app.get("/media", response_class=HTMLResponse)
    async def media_page(request: Request, all: int = 0) -> Response:
        await require_session(request)

        def load(vault: Vault) -> list[dict[str, Any]]:
            cards = []
            for match in queries.media_matches(vault, undecided_only=not all):
                details = match.details
                found = next((m for m in match.media if isinstance(m, dict)
                              and SHA256.fullmatch(str(m.get("sha256", "")))), None)
                protected = queries.protected_by_name(
                    vault, str(details.get("protected_name", "")))
                cards.append({
                    "finding": match,
                    "found_sha": found["sha256"] if found else None,
                    "found_name": found.get("name") if found else None,
                    "protected": protected,
                    "timeline": charts.segment_timeline(details.get("segments"),
                                                        details.get("duration")),
                })
            return cards

        cards = await case.read(load)
        return render(request, "media.html", cards=cards, show_all=bool(all))

    @app.get("/media/blob/{sha256}.jpg")
    async def media_preview(request: Request, sha256: str, clear: int = 0) -> Response:
        await require_session(request)
        if not SHA256.fullmatch(sha256):
            return Response(status_code=404)

        def load(vault: Vault) -> bytes | None:
            if not queries.servable_media(vault, sha256):
                return None
            try:
                return preview_jpeg(vault.blobs.read(sha256), blurred=not clear)
            except (ValueError, OSError, VaultError):
                return None
            except Exception:  # a file PyAV cannot decode raises its own error types
                return None

        data = await case.read(load)
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="image/jpeg")

    @app.get("/items", response_class=HTMLResponse)
    async def items_page(request: Request) -> Response:
        await require_session(request)
        params = request.query_params
        keys = ("kind", "platform", "author", "contains", "since", "until")
        chosen: dict[str, str | None] = {k: (params.get(k) or "").strip() or None for k in keys}
        where = ItemFilter(kind=chosen["kind"], platform=chosen["platform"],
                           author=chosen["author"], contains=chosen["contains"],
                           since=chosen["since"], until=chosen["until"])

        def load(vault: Vault) -> dict[str, Any]:
            rows = queries.items_page(vault, where, ITEMS_PAGE + 1)
            platforms, kinds = queries.item_choices(vault)
            return {"rows": rows[:ITEMS_PAGE], "more": len(rows) > ITEMS_PAGE,
                    "platforms": platforms, "kinds": kinds}

        data = await case.read(load)
        return render(request, "items.html", filters=chosen, page_size=ITEMS_PAGE, **data)

    # -- reports --------------------------------------------------------------------------------

    def report_state(vault: Vault) -> dict[str, Any]:
        settings = vault.settings()
        return {"confirmed": queries.confirmed_count(vault),
                "settings": {k: settings.get(k, "") for k in NOTICE_SETTINGS}}

    def reports_view(request: Request, state: dict[str, Any], error: str | None = None,
                     status: int = 200) -> HTMLResponse:
        return render(request, "reports.html", status=status, error=error,
                      downloads=case.downloads, previews=case.notice_previews, **state)

    @app.get("/reports", response_class=HTMLResponse)
    async def reports_page(request: Request) -> Response:
        await require_session(request)
        return reports_view(request, await case.read(report_state))

    @app.post("/reports/settings")
    async def notice_settings(request: Request) -> Response:
        _, form = await protected_form(request, max_files=0, max_fields=10)
        given = {k: form.get(k) for k in NOTICE_SETTINGS}
        chosen = {k: v.strip()[:200] for k, v in given.items() if isinstance(v, str)}

        def save(vault: Vault) -> None:
            current = vault.settings()
            changed = {k: v for k, v in chosen.items() if v and v != current.get(k)}
            for name, value in changed.items():
                vault.set_setting(name, value)
            if changed:
                vault.checkpoint()

        await case.read(save)
        return RedirectResponse("/reports#sender", status_code=303)

    @app.post("/reports/{kind}")
    async def make_report(request: Request, kind: str) -> Response:
        _, form = await protected_form(request, max_files=0, max_fields=5)
        if kind == "notices":
            job: Callable[[Vault], downloads.Made] = downloads.make_notices
        elif kind == "bundle":
            job = downloads.make_bundle
        elif kind == "evidence":
            chosen = form.get("format")
            file_format = chosen if chosen in ("html", "pdf") else "html"
            lang = language(request)

            def job(vault: Vault) -> downloads.Made:
                return downloads.make_evidence(vault, lang, str(file_format))
        elif kind in ("hashes", "export"):
            allowed = ("threatexchange", "hma", "csv") if kind == "hashes" else ("csv", "jsonl")
            chosen = form.get("format")
            listed = str(chosen) if chosen in allowed else allowed[0]
            maker = downloads.make_hashes if kind == "hashes" else downloads.make_export

            def job(vault: Vault) -> downloads.Made:
                return maker(vault, listed)
        else:
            return Response(status_code=404)
        try:
            made = await case.read(job)
        except VaultError as exc:
            # The reports' own explanation (e.g. nothing confirmed yet), naming what to do.
            return reports_view(request, await case.read(report_state), str(exc), 409)
        case.keep(made)
        return RedirectResponse(f"/reports#{kind}", status_code=303)

    @app.get("/reports/download/{download_id}")
    async def download(request: Request, download_id: str) -> Response:
        await require_session(request)
        found = next((d for d in case.downloads if d.id == download_id), None)
        if found is None:
            return Response(status_code=404)
        disposition = f"attachment; filename*=UTF-8''{quote(found.name)}"
        return Response(found.data, media_type=found.media_type,
                        headers={"Content-Disposition": disposition})

    # -- long runs: import, protect, scan ------------------------------------------------------

    @app.get("/job.json")
    async def job_state(request: Request) -> Response:
        await require_session(request)
        return JSONResponse(case.job.summary() if case.job else None)

    async def checked_upload(request: Request) -> tuple[FormData, list[Path], Path] | str:
        """A CSRF-checked multipart form whose files are copied to a new temporary folder
        outside the vault; or the message id of what was wrong."""
        session = await require_session(request)
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return N_("The upload did not say its size.")
        if int(length) > max_upload_bytes:
            raise UploadTooLarge
        form = await request.form(max_files=500, max_fields=10)
        check_csrf(request, form, session.csrf)
        if case.job_running:
            return N_("An import is already running.")
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not uploads:
            return N_("Choose at least one file.")
        folder = Path(tempfile.mkdtemp(prefix="haven-upload-"))
        try:
            paths = await _save_uploads(uploads, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return form, paths, folder

    async def _save_uploads(uploads: list[UploadFile], folder: Path) -> list[Path]:
        """Copy the uploads into `folder` (outside the vault) with safe, distinct names."""
        total = 0
        paths = []
        for index, upload in enumerate(uploads):
            name = safe_filename(upload.filename, index)
            target = folder / name
            if target.exists():
                target = folder / f"{index}-{name}"
            with target.open("wb") as handle:
                while chunk := await upload.read(1024 * 1024):
                    total += len(chunk)
                    if total > max_upload_bytes:
                        raise UploadTooLarge
                    handle.write(chunk)
            paths.append(target)
        return paths

    def _platform(form: FormData) -> str | None:
        value = form.get("platform")
        if not isinstance(value, str):
            return None
        value = re.sub(r"[^\w.\-]", "", value.strip().lower())[:40]
        return value or None

    def ingest_work(paths: list[Path], platform: str | None) -> JobWork:
        def work(vault: Vault, job: Job) -> dict[str, Any]:
            report = ingest(vault, paths, platform=platform, progress=job)
            return {"new_items": report.new_items, "known_items": report.known_items,
                    "files": report.files, "problems": [str(p) for p in report.problems][:50]}
        return work

    @app.get("/ingest", response_class=HTMLResponse)
    async def ingest_page(request: Request) -> Response:
        await require_session(request)
        return render(request, "ingest.html", error=None, max_mb=max_upload_bytes // 2**20)

    def ingest_error(request: Request, message: str, status: int = 400) -> HTMLResponse:
        return render(request, "ingest.html", status=status, error=message,
                      max_mb=max_upload_bytes // 2**20)

    @app.post("/ingest/upload")
    async def ingest_upload(request: Request) -> Response:
        checked = await checked_upload(request)
        if isinstance(checked, str):
            return ingest_error(request, checked, 409 if case.job_running else 400)
        form, paths, folder = checked
        case.start_job("ingest", "/ingest", [p.name for p in paths],
                       ingest_work(paths, _platform(form)), cleanup=folder)
        return RedirectResponse("/ingest", status_code=303)

    @app.post("/ingest/folder")
    async def ingest_folder(request: Request) -> Response:
        _, form = await protected_form(request, max_files=0, max_fields=10)
        if case.job_running:
            return ingest_error(request, N_("An import is already running."), 409)
        raw = form.get("path")
        text = raw.strip() if isinstance(raw, str) else ""
        path = Path(text).expanduser() if text else None
        if path is None or not path.is_absolute():
            return ingest_error(request, N_("Give the full path of a file or folder."))
        if not path.exists():
            return ingest_error(request, N_("There is no file or folder at that path."))
        resolved, vault_dir = path.resolve(), case.directory.resolve()
        if resolved == vault_dir or vault_dir in resolved.parents or resolved in vault_dir.parents:
            return ingest_error(request, N_("That path holds the case itself; choose the "
                                            "folder of the files to import."))
        case.start_job("ingest", "/ingest", [path.name], ingest_work([path], _platform(form)))
        return RedirectResponse("/ingest", status_code=303)

    # -- setup: protected media, case facts, scan -----------------------------------------------

    def setup_view(request: Request, error: str | None = None, status: int = 200,
                   state: dict[str, Any] | None = None) -> HTMLResponse:
        return render(request, "setup.html", status=status, error=error,
                      max_mb=max_upload_bytes // 2**20, fact_kinds=setup.FACT_KINDS,
                      roles=setup.ROLES, available=setup.available(),
                      **(state or {"facts": None, "protected": None}))

    @app.get("/setup", response_class=HTMLResponse)
    async def setup_page(request: Request) -> Response:
        await require_session(request)
        state = None
        if not case.job_running:
            state = await case.read(lambda vault: {"facts": queries.case_facts(vault),
                                                   "protected": queries.protected_list(vault)})
        return setup_view(request, state=state)

    @app.post("/setup/protect")
    async def protect(request: Request) -> Response:
        checked = await checked_upload(request)
        if isinstance(checked, str):
            return setup_view(request, checked, 409 if case.job_running else 400)
        form, paths, folder = checked
        keep = form.get("keep_original") == "yes"
        case.start_job("protect", "/setup", [p.name for p in paths],
                       setup.protect_work(paths, keep), cleanup=folder)
        return RedirectResponse("/setup#protect", status_code=303)

    @app.post("/setup/scan")
    async def scan(request: Request) -> Response:
        await protected_form(request, max_files=0, max_fields=5)
        if case.job_running:
            return setup_view(request, N_("An import is already running."), 409)
        case.start_job("scan", "/setup", [], setup.scan_work)
        return RedirectResponse("/setup#scan", status_code=303)

    @app.post("/setup/facts")
    async def add_fact(request: Request) -> Response:
        _, form = await protected_form(request, max_files=0, max_fields=10)
        values = {k: form.get(k) for k in ("kind", "value", "role", "also")}
        fields = {k: v.strip()[:300] for k, v in values.items() if isinstance(v, str)}

        def save(vault: Vault) -> str | None:
            return setup.add_fact(vault, fields.get("kind", ""), fields.get("value", ""),
                                  fields.get("role", "target"), fields.get("also", ""))

        problem = await case.read(save)
        if problem is not None:
            state = await case.read(lambda vault: {"facts": queries.case_facts(vault),
                                                   "protected": queries.protected_list(vault)})
            return setup_view(request, problem, 400, state)
        return RedirectResponse("/setup#facts", status_code=303)

    return app
