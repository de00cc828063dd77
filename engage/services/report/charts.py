"""Charts for the insight report as inline SVG: matplotlib's object-oriented Figure API (no
pyplot state in the server), rendered by pure functions (same numbers in, same bytes out: the
SVG hash salt is fixed, and no date or other metadata is written)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.typing import RcKeyType

from surveys.numerals import localise_digits

STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # text stays text: selectable, and small files
    # Bengali labels: matplotlib measures each glyph in the first family of this list that has
    # it (Debian's fonts-lohit-beng-bengali, installed by make pdf-deps); the browser draws them.
    "font.family": ["sans-serif", "Lohit Bengali"],
    "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
    "font.size": 12,  # about 13 px on a 390 px phone: the figures are 4 inches wide
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BLUE, GREY, BLACK = "#1d70b8", "#b1b4b6", "#0b0c0c"  # GOV.UK colours; 3:1 or more on white


@dataclass(frozen=True)
class Words:
    """The words a chart writes, already in the reader's language, and the language whose
    digits its numbers are written in (the caller translates; charts stay free of Flask)."""

    percent: str = "Percent"
    suppressed: str = "suppressed"
    took_part: str = "Took part"
    borough: str = "Borough"
    language: str = "en"

    def number(self, value: float) -> str:
        """A whole percent, as the bars are labelled: "53"."""
        return localise_digits(f"{value:.0f}", self.language)

    def tick(self, value: float) -> str:
        """An axis tick as matplotlib places them: "2.5", "5"."""
        return localise_digits(f"{value:g}", self.language)


_STYLE_ATTR = re.compile(r'style="([^"]*)"')
_SIZE = re.compile(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"')


def _attributes(match: re.Match[str]) -> str:
    """style="fill: #fff; stroke: none" → fill="#fff" stroke="none" (CSP allows these)."""
    pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
    return " ".join(f'{name.strip()}="{value.strip().replace(chr(39), "")}"'
                    for name, value in pairs)


# No <metadata> element: no date (the same bytes every time), no creator or format.
NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def _style(key: str) -> dict[RcKeyType, Any]:
    """The charts' settings; the hash salt, and so each id matplotlib derives from it (clip
    paths, markers), is the chart's own: several charts share a page."""
    return {**STYLE, "svg.hashsalt": f"engage-insight-{key}"}


def _svg(figure: Figure, key: str) -> str:
    # Ids of the groups matplotlib would number per chart (figure_1, text_1...): the chart's own.
    for number, artist in enumerate(figure.findobj()):
        artist.set_gid(f"{key}-{number}")
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=NO_METADATA)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prolog and doctype: inline in HTML
    # No matplotlib setting does these. The page's CSP forbids inline styles: drop the default
    # <style> block and write styles as presentation attributes. The page sets the size.
    text = re.sub(r"<style[^>]*>.*?</style>", "", text, flags=re.S)
    text = _STYLE_ATTR.sub(_attributes, text)
    text = _SIZE.sub(r"<svg \1", text, count=1)
    # The page wraps the chart in an element with role="img" and a text alternative.
    return text.replace("<svg ", '<svg class="insight-chart" aria-hidden="true" focusable="false" ',
                        1)


# Narrow figures, so that their text keeps a readable size when a phone scales them down; the
# labels (wrapped to three lines of 18 characters) take the left 42%.
WIDTH = 4.0


def _height(rows: int) -> float:
    return max(1.6, 0.5 * rows + 0.8)


def _margins(figure: Figure, height: float, bottom: float) -> None:
    """Fixed margins in inches (cheaper than a tight bounding box, which draws twice)."""
    figure.subplots_adjust(left=0.42, right=0.95, top=1 - 0.12 / height,
                           bottom=bottom / height)


def share_bars(labels: Sequence[str], values: Sequence[float | None],
               low: Sequence[float | None] | None = None,
               high: Sequence[float | None] | None = None, *, key: str,
               words: Words = Words()) -> str:
    """Horizontal bars of percentages (None: suppressed, drawn as no bar) with optional
    interval whiskers; returns SVG markup (the same inputs give the same, cached, markup)."""
    return _share_bars(tuple(labels), tuple(values), tuple(low) if low is not None else None,
                       tuple(high) if high is not None else None, key, words)


@lru_cache(maxsize=256)
def _share_bars(labels: tuple[str, ...], values: tuple[float | None, ...],
                low: tuple[float | None, ...] | None, high: tuple[float | None, ...] | None,
                key: str, words: Words) -> str:
    with matplotlib.rc_context(_style(key)):
        height = _height(len(labels))
        figure = Figure(figsize=(WIDTH, height))
        axes = figure.subplots()
        _margins(figure, height, 0.5)
        positions = list(range(len(labels)))[::-1]
        shown = [v if v is not None else 0.0 for v in values]
        axes.barh(positions, shown, color=BLUE, height=0.6)
        if low is not None and high is not None:
            for y, v, lo, hi in zip(positions, values, low, high, strict=True):
                if v is not None and lo is not None and hi is not None:
                    axes.errorbar(v, y, xerr=[[v - lo], [hi - v]], color=BLACK, capsize=3,
                                  linewidth=1)
        for y, v in zip(positions, values, strict=True):
            axes.text((v or 0) + 1, y + 0.25 if low is not None else y,
                      f"{words.number(v)}%" if v is not None else words.suppressed, va="center",
                      fontsize=11, color=BLACK)
        axes.set_yticks(positions, [_wrap(label) for label in labels])
        axes.set_xlim(0, 105)
        axes.set_xticks([0, 25, 50, 75, 100])
        _percent_axis(axes, words)
        return _svg(figure, key)


def compare_bars(labels: Sequence[str], sample: Sequence[float], borough: Sequence[float], *,
                 key: str, words: Words = Words()) -> str:
    """Paired horizontal bars: who took part against the borough, in percent; SVG markup."""
    return _compare_bars(tuple(labels), tuple(sample), tuple(borough), key, words)


@lru_cache(maxsize=64)
def _compare_bars(labels: tuple[str, ...], sample: tuple[float, ...],
                  borough: tuple[float, ...], key: str, words: Words) -> str:
    with matplotlib.rc_context(_style(key)):
        height = _height(int(len(labels) * 1.4))
        figure = Figure(figsize=(WIDTH, height))
        axes = figure.subplots()
        _margins(figure, height, 0.85)
        positions = [i * 1.0 for i in range(len(labels))][::-1]
        axes.barh([p + 0.2 for p in positions], sample, height=0.38, color=BLUE,
                  label=words.took_part)
        axes.barh([p - 0.2 for p in positions], borough, height=0.38, color=GREY,
                  label=words.borough)
        axes.set_yticks(positions, [_wrap(label) for label in labels])
        _percent_axis(axes, words)
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=2, frameon=False,
                    bbox_transform=figure.transFigure)
        return _svg(figure, key)


def _percent_axis(axes: Axes, words: Words) -> None:
    """Percent ticks written in the reader's digits, and the axis named in their language."""
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: words.tick(value)))
    axes.set_xlabel(words.percent)


def _wrap(label: str, width: int = 18) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])
