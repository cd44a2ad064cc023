"""Charts of the report as deterministic inline SVG (matplotlib, Agg, no pyplot state).

Same input → same bytes: the SVG hash salt is the figure id, the date metadata is dropped and text
is kept as text (``svg.fonttype = none``: smaller, selectable, readable by screen readers).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

SIZE_CLASS_COLORS = {
    "< 5 000": "#9ecae1",
    "5 000–15 000": "#4292c6",
    "> 15 000": "#08306b",
    "": "#bdbdbd",
}
MAIN = "#2b6ca3"
REFERENCE = "#e6a23c"
TEXT = "#222222"

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "svg.fonttype": "none",
    "axes.axisbelow": True,
}


def new_figure(width: float, height: float) -> Figure:
    with rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def to_svg(fig: Figure, salt: str) -> str:
    """The figure as an SVG element for inlining (no XML prolog, no metadata, no fixed size)."""
    buffer = io.StringIO()
    with rc_context({**_RC, "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # Path data to 0.01 pt (the SVG's own precision is 1e-6): a third of the size, same picture.
    svg = re.sub(r'(?<= d=")[^"]*', _round_path, svg)
    # Let CSS size the chart: keep the viewBox, drop the fixed width and height.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    return svg.strip() + "\n"


def _wrap(text: str, width: int = 34) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _round_path(match: re.Match[str]) -> str:
    text = re.sub(r"(\d+\.\d\d)\d+", r"\1", match.group(0))
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _style_axes(ax, grid_axis: str) -> None:
    ax.grid(axis=grid_axis, color="#dddddd", linewidth=0.6)
    ax.tick_params(length=2)


def bar_chart(
    salt: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    colors: Sequence[str] | None = None,
    legend: dict[str, str] | None = None,
    horizontal: bool = False,
    value_label: str = "",
    width: float = 7.0,
    height: float | None = None,
    annotate: bool = True,
    decimals: int = 0,
    rotate: bool | None = None,
) -> str:
    """A simple bar chart; ``legend`` maps labels to colours (e.g. the size classes)."""
    n = len(labels)
    if horizontal:
        labels = [_wrap(str(x)) for x in labels]
    lines = max((str(x).count("\n") + 1 for x in labels), default=1)
    if height is None:
        height = max(1.4, (0.2 + 0.1 * (lines - 1)) * n + 0.7) if horizontal else 3.2
    fig = new_figure(width, height)
    with rc_context(_RC):
        ax = fig.add_subplot()
        color = list(colors) if colors else MAIN
        positions = list(range(n))
        if horizontal:
            bars = ax.barh(positions, values, color=color, height=0.7)
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_xlabel(value_label)
            if not decimals:
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            _style_axes(ax, "x")
            ax.margins(y=0.01)
        else:
            bars = ax.bar(positions, values, color=color, width=0.7)
            if rotate is None:
                rotate = n > 8 or max((len(str(x)) for x in labels), default=0) > 12
            ax.set_xticks(
                positions,
                labels,
                rotation=60 if rotate else 0,
                ha="right" if rotate else "center",
                rotation_mode="anchor",
            )
            ax.set_ylabel(value_label)
            if not decimals:
                ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            _style_axes(ax, "y")
            ax.margins(x=0.01)
        if annotate and n <= 40:
            fmt = f"{{:.{decimals}f}}"
            ax.bar_label(
                bars,
                labels=[fmt.format(v).replace(".", ",") for v in values],
                padding=2,
                fontsize=7,
                color=TEXT,
            )
            if horizontal:
                ax.set_xlim(0, max(values, default=1) * 1.12 or 1)
            else:
                ax.set_ylim(0, max(values, default=1) * 1.12 or 1)
        if legend:
            from matplotlib.patches import Patch

            ax.legend(
                handles=[Patch(color=c, label=k) for k, c in legend.items()],
                frameon=False,
                fontsize=8,
                loc="best",
            )
    return to_svg(fig, salt)


def grouped_bars(
    salt: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    value_label: str = "",
    width: float = 7.0,
    colors: Sequence[str] = (MAIN, REFERENCE),
    xlim: tuple[float, float] | None = None,
) -> str:
    """Horizontal bars, one group per label and one bar per series (e.g. mapping vs reference)."""
    n = len(labels)
    k = max(len(series), 1)
    height = min(max(2.4, (0.075 * k + 0.035) * n + 0.9), 8.4)
    fig = new_figure(width, height)
    with rc_context(_RC):
        ax = fig.add_subplot()
        bar_h = 0.8 / k
        for i, (name, values) in enumerate(series.items()):
            ys = [p - 0.4 + bar_h * (i + 0.5) for p in range(n)]
            xs = [0.0 if v is None else float(v) for v in values]
            ax.barh(ys, xs, height=bar_h, color=colors[i % len(colors)], label=name)
        ax.set_yticks(list(range(n)), labels, fontsize=7 if n > 20 else 8)
        ax.invert_yaxis()
        ax.set_xlabel(value_label)
        if xlim:
            ax.set_xlim(*xlim)
        ax.margins(y=0.005)
        _style_axes(ax, "x")
        ax.legend(frameon=False, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=k)
    return to_svg(fig, salt)
