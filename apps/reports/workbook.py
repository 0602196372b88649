"""The report workbook (openpyxl, write-only: a quarter of the busiest city streams its
overdue list row by row). What the figures mean comes from ``figures`` and is printed in
the 说明 sheet; the row lists are in ``lists``."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from apps.accounts.models import Platform
from apps.core.excel import append_row
from apps.tickets.lifecycle import Milestone
from apps.tickets.models import Urgency

from . import content, figures, lists
from .cells import DAY, PERCENT, change_cell, figure_cell, formatted, new_sheet
from .models import ReportPolicy


def write_report(run, scheme, path, *, progress=lambda p: None) -> dict:
    """Write ``run``'s workbook to ``path``; returns the data rows per sheet."""
    region, period, now = run.region, run.period, timezone.now()
    policy = ReportPolicy.current()
    book = Workbook(write_only=True)
    counts = {}
    counts[_("Overview")] = _overview(book, run, scheme)
    progress(15)
    counts[_("Daily volume")] = _daily(book, region, period)
    progress(25)
    counts[_("Unit ranking")] = _ranking(book, region, period, scheme)
    progress(40)
    counts[_("Matters")] = _matters(book, region, period, policy)
    progress(55)
    counts[_("Overdue and circulars")] = lists.overdue(book, region, period, now)
    progress(80)
    counts[_("Disputes and meetings")] = lists.disputes(book, region, period)
    counts[_("List and contact changes")] = lists.changes(book, region, period)
    progress(90)
    counts[_("Definitions")] = _definitions(book, run, scheme)
    book.save(path)
    return counts


def _overview(book, run, scheme):
    sheet = new_sheet(
        book,
        _("Overview"),
        [
            _("Figure"),
            _("This period"),
            _("Period before"),
            _("Change (环比)"),
            _("A year before"),
            _("Change (同比)"),
        ],
        {_("Figure"): 24},
    )
    rows = content.overview(region=run.region, period=run.period, scheme=scheme)
    for c in rows:
        append_row(
            sheet,
            [
                str(c.figure.label),
                figure_cell(sheet, c.figure, c.value),
                figure_cell(sheet, c.figure, c.before),
                change_cell(sheet, c.change_before),
                figure_cell(sheet, c.figure, c.year_before),
                change_cell(sheet, c.change_year_before),
            ],
        )
    written = len(rows)
    shown = [
        figures.BY_KEY[k]
        for k in (
            "received",
            "completed",
            "sign_on_time",
            "complete_on_time",
            "response_rate",
            "resolution_rate",
            "satisfaction_rate",
            "backflow",
            "late",
            "notices",
        )
    ]
    for field, title, labels in (
        ("source_platform", _("By source platform"), dict(Platform.choices)),
        ("urgency", _("By urgency"), dict(Urgency.choices)),
    ):
        append_row(sheet, [])
        append_row(sheet, [title, *[str(f.label) for f in shown]])
        for value, got in content.breakdown(
            region=run.region, period=run.period, scheme=scheme, field=field
        ):
            append_row(
                sheet,
                [
                    str(labels.get(value, value)),
                    *[figure_cell(sheet, f, got[f.key]) for f in shown],
                ],
            )
            written += 1
    return written


def _daily(book, region, period):
    sheet = new_sheet(
        book,
        _("Daily volume"),
        [_("Day"), *(str(figures.BY_KEY[k].label) for k in ("received", "completed"))],
    )
    days = content.daily(region=region, period=period)
    for d in days:
        append_row(sheet, [formatted(sheet, d["day"], DAY), d["received"], d["completed"]])
    if days:
        chart = LineChart()
        chart.title = _("Tickets received per day")
        chart.height, chart.width = 8, 24
        chart.add_data(
            Reference(sheet, min_col=2, max_col=3, min_row=1, max_row=len(days) + 1),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(days) + 1))
        sheet.add_chart(chart, "E2")
    return len(days)


RANKING_FIGURES = (
    "received",
    "sign_on_time",
    "complete_on_time",
    "resolution_rate",
    "satisfaction_rate",
    "backflow",
    "notices",
    "circulars",
    "composite",
)


def _ranking(book, region, period, scheme):
    shown = [figures.BY_KEY[k] for k in RANKING_FIGURES]
    sheet = new_sheet(
        book,
        _("Unit ranking"),
        [_("Rank"), _("Unit"), _("Region"), *[str(f.label) for f in shown]],
        {_("Unit"): 28},
    )
    ranked, apart = content.ranking(region=region, period=period, scheme=scheme)
    for entry in ranked:
        append_row(
            sheet,
            [
                entry.rank,
                entry.unit.name,
                entry.unit.region.name,
                *[figure_cell(sheet, f, entry.values[f.key]) for f in shown],
            ],
        )
    if ranked:
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Composite score")
        chart.height, chart.width = 10, 18
        top = min(len(ranked), 20) + 1
        column = 4 + len(shown) - 1
        chart.add_data(
            Reference(sheet, min_col=column, min_row=1, max_row=top), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=top))
        sheet.add_chart(chart, "N2")
    if apart:
        append_row(sheet, [])
        append_row(sheet, ["", _("Units without tickets in the period (not ranked)")])
        for entry in apart:
            backflow = entry.values["backflow"] if entry.values else 0
            append_row(
                sheet, ["—", entry.unit.name, entry.unit.region.name, 0, *["—"] * 4, backflow]
            )
    return len(ranked) + len(apart)


def _matters(book, region, period, policy):
    sheet = new_sheet(
        book,
        _("Matters"),
        [_("Category"), _("Direction"), _("Tickets"), _("Share")],
        {_("Category"): 24, _("Direction"): 20},
    )
    found = content.matters(region=region, period=period)
    total = sum(m.count for m in found) or 1
    cats = content.categories(found)
    for category, direction, n in cats:
        append_row(
            sheet,
            [
                category or _("Not matched to a list item"),
                direction,
                n,
                formatted(sheet, n / total, PERCENT),
            ],
        )
    if cats:
        chart = BarChart()
        chart.title = _("Tickets per category")
        chart.height, chart.width = 8, 16
        chart.add_data(
            Reference(sheet, min_col=3, min_row=1, max_row=min(len(cats), 15) + 1),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=min(len(cats), 15) + 1))
        sheet.add_chart(chart, "G2")
    append_row(sheet, [])
    append_row(sheet, [_("Top %(n)d matters") % {"n": policy.top_matters}])
    append_row(
        sheet,
        [_("Item code"), _("Category"), _("Matter"), _("Direction"), _("Tickets"), _("Share")],
    )
    for m in found[: policy.top_matters]:
        append_row(
            sheet,
            [
                m.item_code or "—",
                m.category,
                m.matter,
                m.direction,
                m.count,
                formatted(sheet, m.count / total, PERCENT),
            ],
        )
    append_row(sheet, [])
    append_row(
        sheet,
        [
            _("Rising matters (民意热点): at least %(n)d tickets, growing most")
            % {"n": policy.rising_min_volume}
        ],
    )
    append_row(
        sheet,
        [
            _("Item code"),
            _("Category"),
            _("Matter"),
            _("Tickets"),
            _("Period before"),
            _("Change (环比)"),
            _("A year before"),
            _("Change (同比)"),
        ],
    )
    hot = content.rising(found, policy=policy)
    for m in hot:
        append_row(
            sheet,
            [
                m.item_code or "—",
                m.category,
                m.matter,
                m.count,
                m.before,
                change_cell(sheet, m.growth),
                m.year_before,
                change_cell(sheet, m.growth_year),
            ],
        )
    return len(cats) + min(len(found), policy.top_matters) + len(hot)


def _definitions(book, run, scheme):
    sheet = new_sheet(
        book,
        _("Definitions"),
        [_("Figure"), _("Numerator"), _("Denominator"), _("Left out")],
        {_("Figure"): 20, _("Numerator"): 60, _("Denominator"): 40, _("Left out"): 50},
    )
    append_row(sheet, [_("Report"), str(run)])
    append_row(sheet, [_("Period"), f"{run.first_day:%Y-%m-%d} – {run.last_day:%Y-%m-%d}"])
    append_row(sheet, [_("Time basis"), str(figures.TIME_BASIS)])
    append_row(sheet, [_("Assessment scheme"), str(scheme), scheme.source])
    append_row(
        sheet,
        [
            _("Weights"),
            _(
                "response %(r)d%%, resolution %(s)d%%, satisfaction %(t)d%%; “basically "
                "satisfied” counts %(b)d%%; unreachable callers %(u)s"
            )
            % {
                "r": scheme.response_weight,
                "s": scheme.resolution_weight,
                "t": scheme.satisfaction_weight,
                "b": scheme.basically_satisfied_percent,
                "u": _("count") if scheme.unreachable_counts else _("are left out"),
            },
        ],
    )
    grace = {rule.milestone: rule.grace_minutes for rule in scheme.on_time_rules.all()}
    append_row(
        sheet,
        [
            _("On-time grace"),
            "；".join(
                _("%(milestone)s: %(minutes)d minutes")
                % {"milestone": label, "minutes": grace.get(value, 0)}
                for value, label in Milestone.choices
            ),
        ],
    )
    append_row(sheet, [])
    for f in figures.FIGURES:
        append_row(
            sheet,
            [str(f.label), str(f.numerator), str(f.denominator) or "—", str(f.excluded) or "—"],
        )
    return len(figures.FIGURES)
