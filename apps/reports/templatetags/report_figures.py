from urllib.parse import urlencode

from django import template

from apps.reports import figures
from apps.reports.dashboard import tickets_link

register = template.Library()


@register.filter
def figure_value(value, figure):
    """A figure's value as the dashboard shows it: 83.3%, 1,234, 83.25, or — for none."""
    if value is None:
        return "—"
    if figure.kind == figures.RATE:
        return f"{float(value) * 100:.1f}%"
    if figure.kind == figures.SCORE:
        return f"{float(value):.2f}"
    return f"{value:,}"


@register.simple_tag
def ticket_link(region, period, **extra):
    """The ticket list behind a ranking row or a matter."""
    return tickets_link(region, period) + "&" + urlencode(extra)
