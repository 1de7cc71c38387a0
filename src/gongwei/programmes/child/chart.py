"""Growth charts as inline SVG geometry, computed on the server (no JavaScript: the site's CSP
forbids inline scripts, and a chart drawn here works offline and prints).

``growth_chart(sex, indicator, measurements)`` returns a :class:`Chart`: the WHO 2006
reference curves at −3, −2, 0, +2, +3 SD (growth.growth_chart_points) and the child's own
points, already scaled to SVG user units, for the template ``child/_chart.html``. Colours
follow WHO's charts: median green, ±2 SD red, ±3 SD black. Only presentation attributes are
used (no style attributes: the CSP has no 'unsafe-inline' for styles either).

The WHO 2006 standards end at 60 months (growth.MAX_AGE_DAYS); measurements after that are
listed under the chart, not plotted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import growth

WIDTH, HEIGHT = 640, 380
LEFT, RIGHT, TOP, BOTTOM = 52, 56, 14, 40
SD_STYLE = {  # sd: (stroke, width, dash, label)
    -3: ("#1f2933", 1.2, "", "-3"), -2: ("#b42318", 1.2, "", "-2"), 0: ("#0b6e4f", 1.8, "", "0"),
    2: ("#b42318", 1.2, "", "+2"), 3: ("#1f2933", 1.2, "", "+3")}
CHILD_COLOUR = "#1d4ed8"
TITLES = {"wfa": ("年龄别体重", "kg"), "lhfa": ("年龄别身长/身高", "cm")}


@dataclass
class Curve:
    points: str
    stroke: str
    width: float
    dash: str
    label: str
    label_y: float


@dataclass
class Tick:
    at: float
    label: str


@dataclass
class Point:
    x: float
    y: float
    title: str


@dataclass
class Chart:
    indicator: str
    title: str
    unit: str
    sex_label: str
    months: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    curves: list[Curve] = field(default_factory=list)
    xticks: list[Tick] = field(default_factory=list)
    yticks: list[Tick] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    line: str = ""
    beyond: int = 0            # measurements after 60 months, not plotted

    @property
    def label_x(self) -> float:
        return self.right + 4

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def axis_label_y(self) -> int:
        return self.height - 6

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2


def _nice_step(span: float, target: int = 8) -> float:
    raw = span / target
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def _reference_ages(months: int, indicator: str) -> list[int]:
    step = 0.5 if months <= 24 else 1
    ages = sorted({round(i * step * growth.DAYS_PER_MONTH) for i in range(int(months / step) + 1)})
    ages = [min(a, growth.MAX_AGE_DAYS) for a in ages]
    if indicator == "lhfa" and ages[-1] >= growth.LYING_BELOW_DAYS:
        # Length below 731 days, height from 731: draw the 0.7 cm step as WHO's charts do.
        ages = sorted(set(ages) | {growth.LYING_BELOW_DAYS - 1, growth.LYING_BELOW_DAYS})
    return sorted(set(ages))


def growth_chart(sex: str, indicator: str, measurements: list[tuple[int, float, str]]) -> Chart:
    """``measurements``: (age in days, value, label) of the child, for "wfa" or "lhfa"."""
    title, unit = TITLES[indicator]
    sex_code = growth.normalise_sex(sex)
    inside = [m for m in measurements if m[0] <= growth.MAX_AGE_DAYS and m[1] is not None]
    oldest = max((m[0] for m in inside), default=0)
    months = 24 if oldest < growth.LYING_BELOW_DAYS else 60
    chart = Chart(indicator, title, unit, "男童" if sex_code == "M" else "女童", months,
                  beyond=len(measurements) - len(inside))
    ref = growth.growth_chart_points(sex_code, indicator, _reference_ages(months, indicator))
    values = [v for p in ref for v in (p.sd_neg3, p.sd_pos3)] + [float(m[1]) for m in inside]
    step = _nice_step(max(values) - min(values))
    low = math.floor(min(values) / step) * step
    high = math.ceil(max(values) / step) * step
    max_days = round(months * growth.DAYS_PER_MONTH)

    def sx(days: float) -> float:
        return round(chart.left + (chart.right - chart.left) * days / max_days, 1)

    def sy(value: float) -> float:
        return round(chart.bottom - (chart.bottom - chart.top) * (value - low) / (high - low), 1)

    for sd, attr in ((-3, "sd_neg3"), (-2, "sd_neg2"), (0, "median"), (2, "sd_pos2"), (3, "sd_pos3")):
        stroke, width, dash, label = SD_STYLE[sd]
        pts = " ".join(f"{sx(p.x)},{sy(getattr(p, attr))}" for p in ref)
        chart.curves.append(Curve(pts, stroke, width, dash, label, sy(getattr(ref[-1], attr)) + 4))
    every = 2 if months <= 24 else 6
    chart.xticks = [Tick(sx(round(m * growth.DAYS_PER_MONTH)), str(m)) for m in range(0, months + 1, every)]
    chart.yticks = []
    value = low
    while value <= high + step / 2:
        chart.yticks.append(Tick(sy(value), f"{value:g}"))
        value = round(value + step, 6)
    for days, value, label in sorted(inside):
        chart.points.append(Point(sx(days), sy(float(value)), f"{label}: {float(value):g} {unit}"))
    chart.line = " ".join(f"{p.x},{p.y}" for p in chart.points)
    return chart
