"""Pure pieces of the web app: span highlighting, chart geometry, catalogues, the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from haven.web import catalogue, charts, i18n
from haven.web.queries import Piece, highlight
from haven.web.serve import serve_command


def test_highlight_cuts_text_at_span_edges() -> None:
    pieces = highlight("kill them at home", "[[0, 4, \"threat\"], [13, 17, \"place\"]]")
    assert pieces == [Piece("kill", True, ("threat",)), Piece(" them at ", False, ()),
                      Piece("home", True, ("place",))]


def test_highlight_merges_overlaps_and_clamps_bad_offsets() -> None:
    pieces = highlight("abcdef", '[[1, 4, "a"], [3, 99, "b"], [5, 2, ""], ["x", 1]]')
    assert "".join(p.text for p in pieces) == "abcdef"
    marked = {p.text: p.labels for p in pieces if p.marked}
    assert marked["d"] == ("a", "b") and marked["e"] == ("b",) and marked["f"] == ("b",)
    assert not pieces[0].marked and pieces[0].text == "a"
    assert highlight(None, "not json") == []
    assert highlight("plain", "[]") == [Piece("plain")]


def test_spread_chart_stacks_platforms_per_day() -> None:
    chart = charts.spread_chart([("2026-10-01", {"facebook": 4, "instagram": 2}),
                                 ("2026-10-02", {"facebook": 1})])
    assert chart.peak == 6 and len(chart.bars) == 3
    assert [name for _, name, _ in chart.legend] == ["facebook", "instagram"]
    assert len({bar.colour for bar in chart.bars}) == 2
    assert charts.spread_chart([]).bars == []


def test_segment_timeline_scales_to_the_duration() -> None:
    timeline = charts.segment_timeline([[0, 1], [3, 4]], 8, width=800)
    assert timeline is not None and timeline.segments[1][:2] == (300.0, 100.0)
    assert charts.segment_timeline([], None) is None
    assert charts.segment_timeline("junk", None) is None


@pytest.mark.parametrize("language", ["az", "ru"])
def test_catalogues_translate_every_message(language: str) -> None:
    assert catalogue.missing(language) == []
    with i18n.speaking(language):
        assert i18n.gettext_("Lock now") != "Lock now"


def test_language_choice() -> None:
    assert i18n.choose("az") == "az"
    assert i18n.choose(None, "ru-RU,ru;q=0.9,en;q=0.8") == "ru"
    assert i18n.choose("xx", "de-DE") == "en"


def test_serve_binds_loopback_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from haven.vault import Vault

    from conftest import FAST_KDF

    calls: list[dict[str, object]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(kw))
    Vault.create(tmp_path / "case", "pass phrase", FAST_KDF).close()
    result = CliRunner().invoke(serve_command, [str(tmp_path / "case"), "--port", "9123"])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 9123
    assert calls[0]["access_log"] is False
    (tmp_path / "empty").mkdir()
    refused = CliRunner().invoke(serve_command, [str(tmp_path / "empty")])
    assert refused.exit_code != 0 and "not a Haven case" in refused.output
