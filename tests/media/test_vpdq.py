"""vPDQ conformance against Meta's reference hashes, string formats, and bad-file handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from haven.media.errors import MediaError
from haven.media.match import MatchConfig, analyse_media
from haven.media.pdq import hamming
from haven.media.vpdq import (
    VpdqFeature,
    format_hash_lines,
    hash_video,
    json_to_vpdq,
    match_vpdq,
    parse_hash_lines,
    vpdq_to_json,
)

from .conftest import DATA

VPDQ = DATA / "threatexchange-vpdq"
EDGE = DATA / "media-edge-cases"


def expected(name: str) -> list[VpdqFeature]:
    return parse_hash_lines((VPDQ / "vpdq/sample-hashes" / f"{name}.txt").read_text())


@pytest.mark.parametrize(
    ("video", "size"),
    [
        ("pattern-sd-grey-bar", None),
        ("doorknob-hd-no-bar", None),
        ("test-padded-dimensions", None),
        ("chair-19-sd-bar", None),
        ("pattern-sd-with-small-logo-bar", (128, 128)),
    ],
)
def test_vpdq_matches_reference_hashes(video: str, size: tuple[int, int] | None) -> None:
    ref = expected(video + ("-128x128" if size else ""))
    by_frame = {f.frame_number: f for f in ref}
    ours = hash_video(VPDQ / "tmk/sample-videos" / f"{video}.mp4", 1.0, size)
    # One frame per second of the 30 fps clips: frames 0, 30, 60, ... as vpdq selects them.
    assert [f.frame_number for f in ours] == list(range(0, len(ref), 30))
    for feature in ours:
        reference = by_frame[feature.frame_number]
        assert feature.timestamp == pytest.approx(reference.timestamp, abs=1e-3)
        assert abs(feature.quality - reference.quality) <= 1
        if reference.quality >= 50:
            # The reference tests' frame match threshold is 31; decoders differ by a few bits.
            assert hamming(feature.pdq_hex, reference.pdq_hex) <= 10
    query_percent, _ = match_vpdq(ours, ref)
    assert query_percent == 100.0


def test_plain_vpdq_matching_on_reference_hashes() -> None:
    doorknob = expected("doorknob-hd-no-bar")
    pattern = expected("pattern-hd-no-bar")
    assert match_vpdq(doorknob, pattern) == (0.0, 0.0)
    assert (
        match_vpdq(expected("pattern-sd-grey-bar"), expected("pattern-sd-with-small-logo-bar"))[0]
        >= 80.0
    )
    clip, full = match_vpdq(expected("chair-19-sd-bar"), expected("chair-orig-22-sd-bar"))
    assert clip == 100.0 and 70.0 < full < 100.0
    # Plain vPDQ does not see through black bars (SD with bars against HD without):
    # the robust matcher does, see test_scan_reports_bad_candidates_and_goes_on.
    assert match_vpdq(expected("pattern-sd-grey-bar"), pattern)[0] < 10.0


def test_threatexchange_string_formats() -> None:
    features = [VpdqFeature(0, 100, "ab" * 32, 0.0), VpdqFeature(30, 87, "cd" * 32, 1.0)]
    text = vpdq_to_json(features)
    assert json.loads(text) == ["ab" * 32 + ",100,0.0", "cd" * 32 + ",87,1.0"]
    back = json_to_vpdq(text)
    assert [(f.pdq_hex, f.quality, f.timestamp) for f in back] == [
        (f.pdq_hex, f.quality, f.timestamp) for f in features
    ]
    lines = format_hash_lines(features)
    assert lines.splitlines()[1] == "30,87," + "cd" * 32 + ",1.000"
    assert parse_hash_lines(lines) == features
    with pytest.raises(ValueError):
        json_to_vpdq('["nothex,100,0.0"]')


@pytest.mark.parametrize(
    "name",
    [
        "mathiasbynens-small/Mpeg4.mp4",
        "mathiasbynens-small/mp4-with-audio.mp4",
        "mathiasbynens-small/FlashVideo.flv",
        "mathiasbynens-small/AudioVideoInterleave.avi",
        "mathiasbynens-small/gif.gif",
    ],
)
def test_degenerate_videos_raise_media_error_naming_the_file(name: str) -> None:
    with pytest.raises(MediaError) as info:
        hash_video(EDGE / name)
    assert name.split("/")[-1] in str(info.value)


def test_short_real_video_hashes() -> None:
    features = hash_video(EDGE / "audeering-audiofile/video.mp4")
    assert len(features) == 1 and features[0].quality >= 50


def test_empty_and_garbage_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.mov"
    garbage.write_bytes(b"\x00\x01garbage" * 100)
    for path in (empty, garbage, tmp_path / "missing.mp4"):
        with pytest.raises(MediaError, match=path.name):
            hash_video(path)


def test_truncated_video_keeps_decodable_frames(tmp_path: Path) -> None:
    source = (VPDQ / "tmk/sample-videos/pattern-sd-grey-bar.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(source[: len(source) // 2])
    try:
        features = hash_video(cut)
    except MediaError as exc:  # a moov atom at the end makes the whole file unreadable
        assert "cut.mp4" in str(exc)
    else:
        assert len(features) >= 1


def test_scan_reports_bad_candidates_and_goes_on(tmp_path: Path) -> None:
    protected = VPDQ / "tmk/sample-videos/pattern-sd-grey-bar.mp4"
    candidates = [
        EDGE / "mathiasbynens-small/Mpeg4.mp4",
        EDGE / "mathiasbynens-small/png-truncated.png",
        EDGE / "mathiasbynens-small/webm.webm",
        VPDQ / "tmk/sample-videos/pattern-hd-no-bar.mp4",
        EDGE / "audeering-audiofile/video.mp4",
    ]
    cfg = MatchConfig(use_orb=False, protected_seconds_per_frame=1.0)
    results = list(analyse_media([protected], candidates, cfg))
    assert [r["candidate"] for r in results] == [str(c) for c in candidates]
    assert "error" in results[0] and "Mpeg4.mp4" in results[0]["error"]
    assert "error" in results[1] and "error" in results[2]  # 1x1 and 8x8 pictures
    assert results[3]["matched"] and results[3]["protected"] == str(protected)
    assert results[3]["query_match_percent"] >= 80
    assert not results[4]["matched"] and "error" not in results[4]
