"""The robust matcher finds each kind of repost edit, and nothing among distractors."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from haven.media.match import (
    MatchConfig,
    ProtectedMedia,
    analyse_media,
    fingerprint,
    match_candidate,
)
from haven.media.vpdq import hash_video, match_vpdq

from .conftest import MediaSet

KEYS = {
    "candidate",
    "matched",
    "protected",
    "kind",
    "score",
    "query_match_percent",
    "compared_match_percent",
    "segments",
    "distance",
}

VIDEO_EDITS = [
    "clip_10s",
    "reframe_9x16",
    "picture_in_picture",
    "speed_1.25x",
    "mirrored",
    "captioned",
    "letterboxed",
    "crop_20pct",
    "rotate_5deg",
]


def run(media: MediaSet, name: str, cfg: MatchConfig | None = None) -> dict[str, Any]:
    return match_candidate(media.edits[name], [media.video_fp, media.image_fp], cfg)


@pytest.mark.parametrize("name", VIDEO_EDITS)
def test_edited_video_copies_are_found(media: MediaSet, name: str) -> None:
    result = run(media, name)
    assert set(result) >= KEYS
    assert result["matched"] is True
    assert result["protected"] == str(media.protected_video)
    assert result["kind"] == "video"
    assert isinstance(result["query_match_percent"], float)
    assert result["query_match_percent"] >= 60.0
    assert result["segments"]


def test_clip_reports_where_it_comes_from(media: MediaSet) -> None:
    result = run(media, "clip_10s")
    # The clip is seconds 4-14 of a 16 s video.
    assert result["query_match_percent"] >= 90.0
    assert 50.0 <= result["compared_match_percent"] <= 75.0
    [[start, end]] = result["segments"]
    assert 3.0 <= start <= 5.0 and 13.0 <= end <= 15.5


def test_whole_copies_cover_the_protected_video(media: MediaSet) -> None:
    for name in ("speed_1.25x", "mirrored", "letterboxed"):
        result = run(media, name)
        assert result["compared_match_percent"] >= 80.0, name


def test_screenshot_of_one_frame_is_found_with_its_time(media: MediaSet) -> None:
    result = run(media, "screenshot")
    assert result["matched"] and result["protected"] == str(media.protected_video)
    assert result["kind"] == "image"
    assert result["query_match_percent"] is None
    [[start, _end]] = result["segments"]
    assert abs(start - media.screenshot_time) <= 1.0


@pytest.mark.parametrize("name", ["image_mirror_crop", "image_screenshot"])
def test_edited_photos_are_found(media: MediaSet, name: str) -> None:
    result = run(media, name)
    assert result["matched"] and result["protected"] == str(media.protected_image)
    assert result["kind"] == "image" and result["segments"] == []
    assert "variant" in result


def test_distractors_are_not_matched(media: MediaSet) -> None:
    for path in media.distractors:
        result = match_candidate(path, [media.video_fp, media.image_fp])
        assert result["matched"] is False, path
        assert result["protected"] is None and result["segments"] == []


def test_plain_vpdq_misses_what_haven_finds(media: MediaSet) -> None:
    """Guards the test media: these edits must be hard for the reference method."""
    protected = hash_video(media.protected_video)
    for name in ("mirrored", "reframe_9x16", "picture_in_picture", "crop_20pct"):
        query_percent, _ = match_vpdq(hash_video(media.edits[name]), protected)
        assert query_percent < 50.0, name


def test_each_stage_is_needed(media: MediaSet) -> None:
    plain = MatchConfig(
        crop_fractions=(),
        reframe_aspects=(),
        rotations=(),
        mirror=False,
        strip_bars=False,
        pip_scales=(),
        use_orb=False,
    )
    fp = fingerprint(media.protected_video, plain)
    assert not match_candidate(media.edits["mirrored"], [fp], plain)["matched"]
    assert not match_candidate(media.edits["letterboxed"], [fp], plain)["matched"]
    # ORB alone (no variants) still finds a picture-in-picture copy.
    orb_only = replace(plain, use_orb=True, mirror=True)
    fp_orb = fingerprint(media.protected_video, orb_only)
    result = match_candidate(media.edits["picture_in_picture"], [fp_orb], orb_only)
    assert result["matched"] and str(result.get("variant", "")).startswith("orb")


def test_fingerprint_round_trips_through_json(media: MediaSet) -> None:
    text = json.dumps(media.video_fp.to_json())
    back = ProtectedMedia.from_json(json.loads(text))
    assert back.source == media.video_fp.source
    assert (back.hashes == media.video_fp.hashes).all()
    assert (back.orb_descriptors == media.video_fp.orb_descriptors).all()
    assert back.vpdq == [
        type(f)(i, f.quality, f.pdq_hex, float(f"{f.timestamp:.3}"))
        for i, f in enumerate(media.video_fp.vpdq)
    ]
    assert match_candidate(media.edits["captioned"], [back]) == match_candidate(
        media.edits["captioned"], [media.video_fp]
    )
    image_back = ProtectedMedia.from_json(json.dumps(media.image_fp.to_json()))
    assert image_back.pdq == media.image_fp.pdq


def test_config_round_trips() -> None:
    cfg = MatchConfig(pdq_threshold=20, pip_scales=(0.4, 0.5))
    assert MatchConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg


def test_analyse_media_yields_one_result_per_candidate(media: MediaSet) -> None:
    candidates = [media.edits["captioned"], media.distractors[0], media.edits["image_screenshot"]]
    cfg = MatchConfig(use_orb=False)
    results = list(analyse_media([media.protected_video, media.protected_image], candidates, cfg))
    assert [r["candidate"] for r in results] == [str(c) for c in candidates]
    assert [r["matched"] for r in results] == [True, False, True]
    for r in results:
        assert set(r) >= KEYS
        json.dumps(r)  # plain JSON types only


def test_plain_hash_lists_can_be_matched(media: MediaSet) -> None:
    """A partner's vPDQ list (no variants, no keypoints) still gains border removal."""
    from_list = ProtectedMedia.from_hashes("partner-list", vpdq=hash_video(media.protected_video))
    cfg = MatchConfig(use_orb=False)
    letterboxed = match_candidate(media.edits["letterboxed"], [from_list], cfg)
    assert letterboxed["matched"] and letterboxed["protected"] == "partner-list"
    assert not match_candidate(media.edits["mirrored"], [from_list], cfg)["matched"]
    with pytest.raises(ValueError):
        ProtectedMedia.from_hashes("nothing")
