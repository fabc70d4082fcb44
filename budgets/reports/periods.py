"""The period a report covers: two dates, or a preset (this month, last month, this year, last
year). "This month" and "this year" run up to today; the others are whole months and years.

A period is refused, with a message the reader understands, when it ends before it starts or
runs over more than ten years: a report that long is not one anybody reads, and it would make the
database add up a decade of postings for a page.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkbv.errors import DomainError

MAX_YEARS = 10

THIS_MONTH = "this_month"
LAST_MONTH = "last_month"
THIS_YEAR = "this_year"
LAST_YEAR = "last_year"
PRESETS = {
    THIS_MONTH: gettext_lazy("This month"),
    LAST_MONTH: gettext_lazy("Last month"),
    THIS_YEAR: gettext_lazy("This year"),
    LAST_YEAR: gettext_lazy("Last year"),
}


@dataclass(frozen=True)
class Period:
    """From `start` up to and including `end`; `preset` names it when it is one of PRESETS."""

    start: datetime.date
    end: datetime.date
    preset: str = ""

    def query(self) -> str:
        """The period as a query string, for links to the other reports and downloads."""
        if self.preset:
            return f"period={self.preset}"
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"


def preset(name: str, today: datetime.date) -> Period:
    """The dates of a preset on `today`."""
    first_of_month = today.replace(day=1)
    if name == THIS_MONTH:
        return Period(first_of_month, today, name)
    if name == LAST_MONTH:
        end = first_of_month - datetime.timedelta(days=1)
        return Period(end.replace(day=1), end, name)
    if name == THIS_YEAR:
        return Period(today.replace(month=1, day=1), today, name)
    if name == LAST_YEAR:
        year = today.year - 1
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), name)
    raise DomainError(_("Choose a period from the list."), field="period", code="invalid_period")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    if day.year - years < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def period(
    *,
    name: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date,
) -> Period:
    """The period asked for: a preset by `name`, or the dates. Without any, this year so far;
    without a start, from the first of January of the end's year; without an end, up to today."""
    if name:
        if start is not None or end is not None:
            raise DomainError(
                _("Choose a period or fill in dates, not both."),
                field="period",
                code="period_and_dates",
            )
        return preset(name, today)
    if start is None and end is None:
        return preset(THIS_YEAR, today)
    if end is None:
        end = today
    if start is None:
        start = end.replace(month=1, day=1)
    if start > end:
        raise DomainError(
            _("The start date comes after the end date."), field="from", code="start_after_end"
        )
    if start < _years_before(end, MAX_YEARS):
        raise DomainError(
            _("A report covers at most %(years)s years: choose a shorter period.")
            % {"years": MAX_YEARS},
            field="from",
            code="period_too_long",
        )
    return Period(start, end)
