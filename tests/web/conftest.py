"""A small but complete case for the web tests: comments, a photo, a video, findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from haven.ingest import ingest
from haven.model import Finding, Severity, Span
from haven.protect import protect_file
from haven.vault import Vault
from haven.web import create_app

from conftest import FAST_KDF, PASSPHRASE, comment_rows, write_csv

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class BuiltCase:
    directory: Path
    findings: dict[str, str]
    image_sha: str
    video_sha: str
    threat_text: str


def write_image(path: Path, seed: int = 3) -> Path:
    rng = np.random.default_rng(seed)
    pixels = (rng.random((120, 160, 3)) * 255).astype("uint8")
    pixels[30:90, 40:120] = (200, 40, 60)
    Image.fromarray(pixels).save(path, "PNG")
    return path


def write_video(path: Path, frames: int = 20) -> Path:
    with av.open(str(path), mode="w") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        for index in range(frames):
            pixels = np.full((64, 96, 3), (index * 12) % 255, dtype="uint8")
            pixels[10:40, 20:60] = (30, 160, 90)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def protect_original(vault: Vault, data: bytes, path: Path) -> None:
    """The protected original, kept (encrypted) so the media page can show it side by side."""
    path.write_bytes(data)
    protect_file(vault, path, keep_original=True)


def build_case(root: Path, comments: int = 60) -> BuiltCase:
    """Ingest comments, a photo and a video; add text findings and two media matches."""
    root.mkdir(parents=True, exist_ok=True)
    sources = root / "sources"
    sources.mkdir()
    rows = comment_rows(comments)
    write_csv(sources / "comments.csv", rows)
    write_image(sources / "copy.png")
    write_video(sources / "clip.mp4")
    directory = root / "case"
    with Vault.create(directory, PASSPHRASE, FAST_KDF) as vault:
        ingest(vault, [sources], platform="instagram")
        by_url = dict(vault.conn.execute("SELECT url, id FROM items WHERE url IS NOT NULL"))
        media = {
            name: (item_id, sha)
            for item_id, name, sha in vault.conn.execute(
                "SELECT i.id, json_extract(m.value, '$.name'), json_extract(m.value, '$.sha256') "
                "FROM items i, json_each(i.media) m"
            )
        }
        threat_text = rows[0]["text"]
        word_end = threat_text.index(" ")
        plan = {
            "threat": Finding(by_url[rows[0]["url"]], "threat", Severity.CRITICAL, 0.93,
                              "Calls for the couple to be found and punished", "test", "1",
                              (Span(0, word_end, "threat"),)),
            "bounty": Finding(by_url[rows[1]["url"]], "bounty", Severity.HIGH, 0.81,
                              "Offers a reward for finding them", "test", "1",
                              (Span(0, 6, "bounty"),)),
            "exposure": Finding(by_url[rows[2]["url"]], "exposure", Severity.MEDIUM, 0.55,
                                "Says their address is known", "test", "1",
                                (Span(4, 9, "address"),)),
            "image_match": Finding(media["copy.png"][0], "media_match", Severity.CRITICAL, 0.97,
                                   "A copy of the protected photo", "test-media", "1",
                                   details={"protected_name": "kiss.png", "score": 0.97,
                                            "distance": 14, "query_match_percent": 100.0,
                                            "compared_match_percent": 100.0, "segments": []}),
            "video_match": Finding(media["clip.mp4"][0], "media_match", Severity.HIGH, 0.88,
                                   "A cut of the protected video", "test-media", "1",
                                   details={"protected_name": "kiss.mp4", "score": 0.88,
                                            "distance": 22, "query_match_percent": 75.0,
                                            "compared_match_percent": 40.0, "duration": 2.0,
                                            "segments": [[0.0, 0.8], [1.2, 1.9]]}),
        }
        for finding in plan.values():
            vault.add_finding(finding)
        protect_original(vault, (sources / "copy.png").read_bytes(), root / "kiss.png")
        vault.checkpoint()
    return BuiltCase(directory, {k: f.id for k, f in plan.items()}, media["copy.png"][1],
                     media["clip.mp4"][1], threat_text)


@pytest.fixture
def built(tmp_path: Path) -> BuiltCase:
    return build_case(tmp_path)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def unlock(client: TestClient, passphrase: str = PASSPHRASE) -> str:
    """Unlock through the form; return the session's CSRF token."""
    page = client.get("/unlock")
    response = client.post("/unlock", data={"csrf": csrf_of(page.text),
                                            "passphrase": passphrase, "next": "/"})
    assert response.status_code == 200, response.text[:500]
    return csrf_of(response.text)


@pytest.fixture
def app(built: BuiltCase) -> FastAPI:
    return create_app(built.directory, port=PORT)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client
