"""Geometry for the two server-side SVG charts: spread over time, and matched video segments.

Only numbers are computed here; templates draw them (autoescaped) with presentation attributes,
so no script and no inline style is needed and the strict Content-Security-Policy holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# One colour per platform in order of volume; the rest share the last (grey).
COLOURS = ("#2f5d8a", "#c0561b", "#5b8c5a", "#8e5ea2", "#b38f00", "#7a7f87")
PALETTE = len(COLOURS)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class SpreadChart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    legend: list[tuple[float, str, str]] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, int]] = field(default_factory=list)
    peak: int = 0
    axis_y: float = 0.0
    legend_y: float = 0.0


def spread_chart(
    per_day: list[tuple[str, dict[str, int]]],
    width: int = 720,
    height: int = 240,
    margin: int = 36,
    legend_height: int = 22,
) -> SpreadChart:
    """Stacked bars: items per day, coloured by platform (largest platform at the bottom),
    with the legend in a row under the axis."""
    chart = SpreadChart(width, height)
    height -= legend_height
    chart.axis_y, chart.legend_y = height - margin + 16.0, chart.height - 6.0
    if not per_day:
        return chart
    totals: dict[str, int] = {}
    for _, counts in per_day:
        for platform, n in counts.items():
            totals[platform] = totals.get(platform, 0) + n
    order = sorted(totals, key=lambda p: (-totals[p], p))
    colour = {p: COLOURS[min(i, PALETTE - 1)] for i, p in enumerate(order)}
    shown = order[:PALETTE - 1] if len(order) > PALETTE else order
    chart.legend = [(margin + i * 120.0, p[:16], colour[p]) for i, p in enumerate(shown)]
    if len(order) > len(shown):
        chart.legend.append((margin + len(shown) * 120.0, "…", COLOURS[-1]))
    chart.peak = max(sum(c.values()) for _, c in per_day)
    plot_w, plot_h = width - margin - 8, height - margin - 8
    step = plot_w / len(per_day)
    bar_w = max(1.0, step * 0.8)
    for index, (day, counts) in enumerate(per_day):
        x = margin + index * step
        base = float(height - margin)
        for platform in order:
            n = counts.get(platform, 0)
            if not n:
                continue
            h = plot_h * n / chart.peak
            base -= h
            chart.bars.append(Bar(round(x, 2), round(base, 2), round(bar_w, 2), round(h, 2),
                                  colour[platform], f"{day} · {platform}: {n}"))
    every = max(1, len(per_day) // 8)
    chart.ticks = [(round(margin + i * step + bar_w / 2, 2), day[5:] if len(day) >= 10 else day)
                   for i, (day, _) in enumerate(per_day) if i % every == 0]
    chart.y_ticks = [(round(height - margin - plot_h * f, 2), round(chart.peak * f))
                     for f in (0.0, 0.5, 1.0)]
    return chart


@dataclass
class Timeline:
    width: int
    height: int
    duration: float
    segments: list[tuple[float, float, str]] = field(default_factory=list)


def segment_timeline(
    segments: object, duration: object = None, width: int = 480, height: int = 18
) -> Timeline | None:
    """Where in the found video the protected media appears, as rectangles on a bar.

    `segments` is the finding's `[[start_s, end_s], ...]`; without a known duration the bar
    spans up to the last matched second.
    """
    clean: list[tuple[float, float]] = []
    for entry in segments if isinstance(segments, list) else []:
        try:
            start, end = sorted((float(entry[0]), float(entry[1])))
        except (TypeError, ValueError, IndexError, KeyError):
            continue
        if end >= 0:
            clean.append((max(0.0, start), end))
    if not clean:
        return None
    try:
        total = float(duration) if duration is not None else 0.0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        total = 0.0
    total = max(total, max(end for _, end in clean), 1e-9)
    timeline = Timeline(width, height, total)
    for start, end in clean:
        x = width * start / total
        w = max(2.0, width * (end - start) / total)
        timeline.segments.append((round(x, 2), round(w, 2), f"{start:.1f}s – {end:.1f}s"))
    return timeline
