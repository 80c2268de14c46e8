"""The evidence report for an NGO, a lawyer or an asylum case, as HTML or PDF.

It reads the vault and says, in English, Azerbaijani or Russian: what was collected, how it
spread, who spread it, the threats and exposures by severity with the triggering words marked,
the copies of the protected media (thumbnails blurred in the pixels, not by a style), how the
evidence was kept, its limits, and how anyone can verify it. Translations are JSON catalogues
in `locale/`; the PDF embeds a bundled DejaVu font so ə ğ ı ş and Cyrillic always render.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections import Counter
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import av
import jinja2
from markupsafe import Markup, escape
from PIL import Image, ImageFilter

from haven import __version__
from haven.ledger import utc_now
from haven.model import Severity, sha256_hex
from haven.reports import LATEST_DECISION
from haven.timestamps import stored_timestamps
from haven.vault import Vault, VaultError

LANGUAGES = ("en", "az", "ru")
BLUR_RADIUS = 14


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The report's words in `lang`, falling back to English for anything missing."""
    if lang not in LANGUAGES:
        raise VaultError(f"report language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    base = resources.files("haven.reports").joinpath("locale")
    english = json.loads(base.joinpath("en.json").read_text(encoding="utf-8"))
    chosen = json.loads(base.joinpath(f"{lang}.json").read_text(encoding="utf-8"))
    return {**english, **chosen}


def highlight(text: str, spans: list[list[Any]]) -> Markup:
    """Escape `text` and wrap each span (character offsets into it) in <mark>."""
    pieces: list[str] = []
    cursor = 0
    for start, end, *_ in sorted((s for s in spans if 0 <= s[0] < s[1] <= len(text)),
                                 key=lambda s: (s[0], s[1])):
        if start < cursor:
            continue
        pieces.append(str(escape(text[cursor:start])))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(str(escape(text[cursor:])))
    return Markup("".join(pieces))


def blurred_thumbnail(data: bytes, width: int = 320) -> str | None:
    """A blurred JPEG data URI of an image, or of a video's first frame; None if undecodable."""
    image: Image.Image
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, Image.DecompressionBombError):
        try:
            with av.open(io.BytesIO(data), mode="r") as container:
                frame = next(container.decode(video=0))
                image = frame.to_image()  # type: ignore[no-untyped-call]
        except (av.FFmpegError, StopIteration, OSError):
            return None
    image = image.convert("RGB")
    image.thumbnail((width, width))
    image = image.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def timeline_chart(days: Counter[str], serious: Counter[str], labels: dict[str, str]) -> str | None:
    """A PNG data URI of items per day (bars) and serious items per day, or None if no dates."""
    if not days:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt

    order = sorted(days)
    moments = [date.fromisoformat(day) for day in order]
    xs = [float(mdates.date2num(m)) for m in moments]  # type: ignore[no-untyped-call]
    figure, axis = plt.subplots(figsize=(7.5, 2.6), dpi=150)
    axis.bar(xs, [days[d] for d in order], color="#8fa9cf", label=labels["chart_items"])
    axis.bar(xs, [serious.get(d, 0) for d in order], color="#b91c1c", width=0.5,
             label=labels["chart_findings"])
    axis.legend(loc="upper left", fontsize=7, frameon=False)
    axis.tick_params(labelsize=7)
    axis.spines[["top", "right"]].set_visible(False)
    span_days = (moments[-1] - moments[0]).days
    locator = mdates.DayLocator(interval=max(1, span_days // 8))  # type: ignore[no-untyped-call]
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _status(decision: str | None) -> str:
    return decision if decision in ("confirm", "reject", "unsure") else "open"


def gather(vault: Vault, lang: str) -> dict[str, Any]:
    """Everything the template shows, read from the vault."""
    t = catalogue(lang)
    conn = vault.conn
    platforms = [(str(p), int(n)) for p, n in conn.execute(
        "SELECT platform, count(*) FROM items GROUP BY platform ORDER BY count(*) DESC")]
    first, last = conn.execute("SELECT min(time), max(time) FROM items").fetchone()
    findings = []
    for row in conn.execute(f"""
        SELECT f.kind, f.severity, f.explanation, f.spans, f.details, i.id, i.platform, i.url,
               i.time, i.text, i.media, a.handle, a.name, s.path, s.sha256,
               {LATEST_DECISION}
        FROM findings f JOIN items i ON i.id = f.item_id
        LEFT JOIN authors a ON a.id = i.author_id JOIN sources s ON s.id = i.source_id
        ORDER BY i.time"""):
        (kind, severity, explanation, spans, details, item_id, platform, url, time, text,
         media, handle, name, source, source_sha, decision) = row
        findings.append({
            "kind": kind, "severity": severity, "explanation": explanation,
            "spans": json.loads(spans), "details": json.loads(details), "item_id": item_id,
            "platform": platform, "url": url, "time": time, "text": text,
            "media": json.loads(media), "author": name or handle, "source": Path(source).name,
            "source_sha256": source_sha, "status": _status(decision),
        })
    shown = [f for f in findings if f["status"] != "reject"]
    text_findings = [f for f in shown if f["kind"] != "media_match"]
    for f in text_findings:
        f["text_html"] = highlight(f["text"], f["spans"]) if f["text"] else None
    by_severity = [(s.value, [f for f in text_findings if f["severity"] == s.value])
                   for s in Severity]
    media = []
    for f in (f for f in shown if f["kind"] == "media_match"):
        blob = f["media"][0] if f["media"] else None
        data = vault.blobs.read(blob["sha256"]) if blob else b""
        media.append({
            "status": f["status"], "platform": f["platform"], "url": f["url"],
            "name": blob["name"] if blob else "", "explanation": f["explanation"],
            "thumbnail": blurred_thumbnail(data) if data else None,
            "sha256": blob["sha256"] if blob else "",
            "query_match_percent": f["details"].get("query_match_percent"),
            "compared_match_percent": f["details"].get("compared_match_percent"),
            "segments": f["details"].get("segments") or [],
        })
    days: Counter[str] = Counter(str(t_)[:10] for (t_,) in conn.execute(
        "SELECT time FROM items WHERE time IS NOT NULL"))
    serious_items = {f["item_id"]: f["time"] for f in shown
                     if f["severity"] in ("critical", "high") and f["time"]}
    serious: Counter[str] = Counter(str(t_)[:10] for t_ in serious_items.values())
    spreaders = []
    serious_by_author: Counter[str] = Counter(f["author"] for f in shown
                                              if f["severity"] in ("critical", "high"))
    for handle, name, platform, count in conn.execute("""
        SELECT a.handle, a.name, a.platform, count(*) FROM items i JOIN authors a
        ON a.id = i.author_id GROUP BY a.id ORDER BY count(*) DESC, a.handle LIMIT 10"""):
        shown_name = name or handle
        spreaders.append({"name": shown_name, "platform": platform, "count": count,
                          "serious": serious_by_author.get(shown_name, 0)})
    counts = Counter(f["severity"] for f in shown)
    checkpoint = vault.ledger.checkpoints()[-1]
    public = bytes.fromhex(vault.meta("public_key") or "")
    entries = conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    stamps = stored_timestamps(vault)
    source_hashes = sorted({(f["source"], f["source_sha256"]) for f in shown})
    return {
        "lang": lang, "t": t,
        "case": {"id": vault.case_id, "title": vault.setting("case_title") or vault.case_id,
                 "generated": utc_now(), "tool": f"Haven {__version__}"},
        "summary_text": t["summary_text"].format(
            items=sum(n for _, n in platforms), platforms=len(platforms),
            first=(first or "?")[:10], last=(last or "?")[:10], findings=len(shown),
            critical=counts["critical"], high=counts["high"], medium=counts["medium"],
            low=counts["low"], confirmed=sum(1 for f in shown if f["status"] == "confirm"),
            matches=len(media)),
        "platforms": platforms,
        "chart": timeline_chart(days, serious, t),
        "spreaders": spreaders,
        "by_severity": by_severity,
        "media": media,
        "verification_text": t["verification_text"].format(
            entries=entries, tree_size=checkpoint.tree_size, root=checkpoint.root,
            time=checkpoint.time, fingerprint=hashlib.sha256(public).hexdigest()),
        "timestamp_text": (t["timestamped"].format(tsa=stamps[-1].tsa,
                                                   tree_size=stamps[-1].tree_size,
                                                   time=stamps[-1].gen_time)
                           if stamps else t["not_timestamped"]),
        "source_hashes": source_hashes,
    }


def render_html(vault: Vault, lang: str = "en", for_pdf: bool = False) -> str:
    fonts = resources.files("haven.reports").joinpath("fonts")
    if for_pdf:
        regular = Path(str(fonts.joinpath("DejaVuSans.ttf"))).as_uri()
        bold = Path(str(fonts.joinpath("DejaVuSans-Bold.ttf"))).as_uri()
        font_src = "file:"
    else:
        regular = "data:font/ttf;base64," + base64.b64encode(
            fonts.joinpath("DejaVuSans.ttf").read_bytes()).decode()
        bold = "data:font/ttf;base64," + base64.b64encode(
            fonts.joinpath("DejaVuSans-Bold.ttf").read_bytes()).decode()
        font_src = "data:"
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("haven.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    template = environment.get_template("evidence.html.j2")
    return template.render(font_regular=regular, font_bold=bold, font_src=font_src,
                           **gather(vault, lang))


def write_evidence_report(vault: Vault, out: Path, lang: str = "en",
                          file_format: str = "html") -> Path:
    """Write the report to `out` (a file path); log that it was made."""
    vault.checkpoint()
    if file_format == "pdf":
        from weasyprint import HTML

        html = render_html(vault, lang, for_pdf=True)
        data = HTML(string=html).write_pdf()
        assert data is not None
    elif file_format == "html":
        data = render_html(vault, lang).encode()
    else:
        raise VaultError(f"report format must be html or pdf, not {file_format!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    with vault.transaction():
        vault.ledger.append(f"make report evidence {file_format}", f"report_{utc_now()}",
                            sha256_hex(data))
    vault.checkpoint()
    return out
