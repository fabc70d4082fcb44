"""The period of a report: presets on any day, defaults, and the periods refused."""

import datetime

import pytest

from budgets.reports.periods import Period, period
from wijkbv.errors import DomainError

D = datetime.date


@pytest.mark.parametrize(
    "name, today, start, end",
    [
        ("this_month", D(2026, 3, 15), D(2026, 3, 1), D(2026, 3, 15)),
        ("last_month", D(2026, 3, 15), D(2026, 2, 1), D(2026, 2, 28)),
        ("last_month", D(2026, 1, 1), D(2025, 12, 1), D(2025, 12, 31)),
        ("this_year", D(2026, 3, 15), D(2026, 1, 1), D(2026, 3, 15)),
        ("last_year", D(2026, 3, 15), D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_a_preset_covers_its_days(name, today, start, end):
    assert period(name=name, today=today) == Period(start, end, name)


def test_without_anything_it_is_this_year_so_far():
    assert period(today=D(2026, 5, 6)) == Period(D(2026, 1, 1), D(2026, 5, 6), "this_year")


def test_without_a_start_it_starts_on_the_first_of_january_of_the_end():
    assert period(end=D(2024, 7, 1), today=D(2026, 5, 6)) == Period(D(2024, 1, 1), D(2024, 7, 1))


def test_without_an_end_it_ends_today():
    assert period(start=D(2026, 2, 1), today=D(2026, 5, 6)) == Period(D(2026, 2, 1), D(2026, 5, 6))


def test_ten_years_are_allowed_from_a_leap_day():
    assert period(start=D(2014, 2, 28), end=D(2024, 2, 29), today=D(2026, 1, 1)).start == D(
        2014, 2, 28
    )


@pytest.mark.parametrize(
    "options, code",
    [
        ({"start": D(2026, 2, 2), "end": D(2026, 2, 1)}, "start_after_end"),
        ({"start": D(2014, 2, 27), "end": D(2024, 2, 29)}, "period_too_long"),
        ({"start": D(1, 1, 1), "end": D(9999, 12, 31)}, "period_too_long"),
        ({"name": "next_year"}, "invalid_period"),
        ({"name": "last_year", "end": D(2026, 1, 1)}, "period_and_dates"),
    ],
)
def test_a_period_that_cannot_be_is_refused(options, code):
    with pytest.raises(DomainError) as refused:
        period(today=D(2026, 5, 6), **options)

    assert refused.value.code == code


def test_the_query_of_a_period_names_its_preset_or_its_dates():
    assert Period(D(2026, 1, 1), D(2026, 1, 31), "last_month").query() == "period=last_month"
    assert Period(D(2026, 1, 1), D(2026, 1, 31)).query() == "from=2026-01-01&to=2026-01-31"
