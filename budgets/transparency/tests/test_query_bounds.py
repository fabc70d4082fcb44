"""The open page, a funder's page and a stream's page each take the same number of queries for
a small cooperative and for one with many more streams, projects, paid expenses and
contributions of time: what they read is summed by the database, never walked row by row."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets import services
from budgets.tests.expense_helpers import adopt, approved, bank, invoice, pay
from members import services as member_services
from reciprocity import services as time_services
from reciprocity import summary
from reciprocity.models import Contribution

pytestmark = pytest.mark.django_db

SMALL = {"streams": 2, "projects": 3, "expenses": 5, "contributions": 10}
LARGE = {"streams": 12, "projects": 30, "expenses": 60, "contributions": 100}


class Cooperative:
    """The personas' cooperative, grown step by step to a size."""

    def __init__(self, hood, stream):
        self.hood = hood
        self.streams = [stream]
        self.projects = []
        self.expenses = 0
        self.contributions = 0
        self.bank = bank(hood)
        self.activity = time_services.add_activity(
            hood.cooperative, actor=hood.bob, name="Gedeelde maaltijd"
        )
        self.people = [
            member_services.register_resident(
                hood.cooperative, actor=None, full_name=f"Buur {number}", email=None
            )
            for number in range(8)
        ]

    def grow(self, streams, projects, expenses, contributions):
        hood = self.hood
        today = timezone.localdate()
        # Time given is counted back from the first of this month, so that the months it
        # falls in, and so which groups are small, are the same whatever day the tests run.
        first = today.replace(day=1)
        while len(self.streams) < streams:
            stream = services.add_funding_stream(
                hood.cooperative,
                actor=hood.carol,
                funder=self.streams[0].funder,
                name=f"Stroom {len(self.streams) + 1}",
                committed="5000",
                starts_on=today.replace(month=1, day=1),
                ends_on=today.replace(month=12, day=31),
            )
            services.record_stream_receipt(stream, actor=hood.dave, amount="1000")
            self.streams.append(stream)
        while len(self.projects) < projects:
            number = len(self.projects)
            stream = self.streams[number % len(self.streams)]
            self.projects.append(adopt(hood, stream, title=f"Project {number + 1}", amount="100"))
        paid = []
        while self.expenses + len(paid) < expenses:
            number = self.expenses + len(paid)
            budget = self.projects[number % len(self.projects)].budget_account
            item = invoice(hood, budget, amount="1.50", supplier_name=f"Winkel {number}")
            paid.append(approved(hood, item, first="carol", second="bob"))
        if paid:
            pay(hood, expenses=paid, bank_account=self.bank)
            self.expenses += len(paid)
        partner = self.streams[0].funder
        Contribution.objects.bulk_create(
            Contribution(
                cooperative=hood.cooperative,
                contributor=self.people[number % len(self.people)],
                activity=self.activity,
                hours=Decimal("1.5"),
                date=first - datetime.timedelta(days=number * 3),
                beneficiary="partner" if number % 2 else "neighbourhood",
                beneficiary_partner=partner if number % 2 else None,
                status="confirmed",
            )
            for number in range(self.contributions, contributions)
        )
        self.contributions = max(self.contributions, contributions)
        # Written in bulk, past the services: the summary of time given is made afresh.
        summary.rebuild(hood.cooperative)


@pytest.fixture
def grown(hood, stream):
    return Cooperative(hood, stream)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _counts(grown, client, url) -> tuple[int, int]:
    grown.grow(**SMALL)
    small = _queries(client, url())
    grown.grow(**LARGE)
    return small, _queries(client, url())


def test_the_open_page_takes_as_many_queries_when_the_cooperative_is_larger(client, hood, grown):
    slug = hood.cooperative.slug
    small, large = _counts(grown, client, lambda: reverse("budgets:open", args=[slug]))
    assert small == large


def test_a_funders_page_takes_as_many_queries_when_it_funds_more(client, hood, grown):
    slug, funder = hood.cooperative.slug, grown.streams[0].funder
    small, large = _counts(
        grown, client, lambda: reverse("budgets:open_funder", args=[slug, funder.pk])
    )
    assert small == large


def test_a_streams_page_takes_as_many_queries_when_it_paid_for_more(client, hood, grown):
    slug, stream = hood.cooperative.slug, grown.streams[0]
    small, large = _counts(
        grown, client, lambda: reverse("budgets:open_stream", args=[slug, stream.pk])
    )
    assert small == large
