"""The dashboard's score chart as SVG geometry: pure, no ORM, no template logic."""

from dataclasses import dataclass, field

# Colour-blind-safe palette (Okabe-Ito, then Tol's muted), one per category.
PALETTE = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
    "#332288", "#882255", "#117733", "#999933", "#AA4499", "#44AA99",
]  # fmt: skip


@dataclass
class Series:
    category: str
    colour: str
    points: str  # the polyline's "x,y x,y ..."
    dots: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, tooltip


@dataclass
class Chart:
    width: int
    height: int
    left: int
    bottom: int
    top: int
    right: int
    series: list[Series]
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]


def score_chart(history: list[dict], *, width: int = 640, height: int = 260) -> Chart | None:
    """One line per category across sessions (x: session order, y: score 0-100%).

    `history` is interviews.selectors.category_score_history's output. None
    when there is nothing to draw.
    """
    if not history:
        return None
    left, right, top, bottom = 44, width - 30, 12, height - 28  # room for the axis labels
    span = max(len(history) - 1, 1)

    def x(i):
        return round(left + (right - left) * (i / span if len(history) > 1 else 0.5), 1)

    def y(score):
        return round(bottom - (bottom - top) * score, 1)

    categories = sorted({slug for entry in history for slug in entry["scores"]})
    series = []
    for n, slug in enumerate(categories):
        dots = [
            (x(i), y(entry["scores"][slug]), f"{slug}: {round(entry['scores'][slug] * 100)}%")
            for i, entry in enumerate(history)
            if slug in entry["scores"]
        ]
        series.append(
            Series(
                category=slug,
                colour=PALETTE[n % len(PALETTE)],
                points=" ".join(f"{dx},{dy}" for dx, dy, _ in dots),
                dots=dots,
            )
        )
    step = max(1, len(history) // 6)
    x_labels = [(x(i), f"{entry['finished_at']:%b %-d}") for i, entry in enumerate(history) if i % step == 0]
    y_ticks = [(y(share / 100), f"{share}%") for share in (0, 25, 50, 75, 100)]
    return Chart(width, height, left, bottom, top, right, series, y_ticks, x_labels)
