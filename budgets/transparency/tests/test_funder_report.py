"""The funder's report of a funding stream over a period: its figures are the treasurer's, it
lists what was paid in the period without naming residents, and it carries the head of the
audit chain, on the page, in the PDF made from that page, and in the workbook."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from budgets import services
from budgets.models import Expense
from budgets.reports.books import funding_streams
from budgets.tests.conftest import wijkbudget
from budgets.tests.expense_helpers import (
    adopt,
    approved,
    ask_advance,
    bank,
    claim,
    invoice,
    pay,
    pdf_bytes,
)
from budgets.transparency import report
from members import services as member_services
from reciprocity import services as time_services
from reciprocity import summary
from reciprocity.models import Contribution
from wijkbv.audit.models import AuditEvent, ChainHead
from wijkbv.testing import today


def in_a_week() -> datetime.date:
    return today() + datetime.timedelta(days=7)


@pytest.fixture
def stream(hood, funder):
    """The Wijkbudget through this year rather than through 2026: a funder's report reads
    the stream's period up to today, which must hold today in whatever year the tests run."""
    year = today().year
    return wijkbudget(
        hood,
        funder,
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
    )


@pytest.fixture
def account(hood):
    return bank(hood)


@pytest.fixture
def spent(hood, stream, account):
    """A project of € 3.000 from the stream with a resident's claim of € 45,50 and a
    supplier's invoice of € 120 paid today, and a supplier's invoice of € 80 paid in a week."""
    project = adopt(hood, stream)
    budget = project.budget_account
    paid = [approved(hood, claim(hood, budget)), approved_invoice(hood, budget)]
    pay(hood, expenses=paid, bank_account=account)
    later = approved_invoice(hood, budget, amount="80.00", supplier_name="Bakker Bart")
    services.make_payment_batch(
        hood.cooperative,
        actor=hood.dave,
        bank_account=account,
        expenses=[later],
        execution_date=in_a_week(),
    )
    return project, paid


def approved_invoice(hood, budget, **changes):
    """An invoice the treasurer entered, approved by the project's lead and a board member."""
    return approved(hood, invoice(hood, budget, **changes), first="bob", second="carol")


def url(name, hood, stream, **query):
    address = reverse(f"budgets:{name}", args=[hood.cooperative.slug, stream.pk])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def head(hood):
    return ChainHead.objects.values_list("seq", "hash").get(cooperative=hood.cooperative)


def until_today(stream):
    return report.Period(stream.starts_on, today())


def test_its_figures_are_the_treasurers_for_the_same_period(hood, stream, spent):
    period = until_today(stream)
    found = report.funder_report(hood.cooperative, stream, period)
    (books,) = funding_streams(hood.cooperative, period.start, period.end, stream=stream).lines
    assert found.line == books
    assert books.received.amount == Decimal("10000.00")
    assert books.allocated.amount == Decimal("3000.00")
    assert books.spent.amount == Decimal("165.50")
    (project,) = found.projects
    assert project.budget == Decimal("3000.00")
    assert project.spent_in_period == Decimal("165.50") == books.spent.amount
    assert project.spent_to_date == Decimal("165.50")
    assert project.left == Decimal("2834.50") == books.left_in_budgets.amount


def test_the_projects_add_up_to_the_stream_over_a_longer_period(hood, stream, spent):
    period = report.Period(stream.starts_on, in_a_week())
    found = report.funder_report(hood.cooperative, stream, period)
    (books,) = funding_streams(hood.cooperative, period.start, period.end, stream=stream).lines
    assert sum(p.spent_in_period for p in found.projects) == books.spent.amount
    assert books.spent.amount == Decimal("245.50")
    assert sum(p.left for p in found.projects) == books.left_in_budgets.amount
    assert [p.payee for p in found.expenses][-1] == "Bakker Bart"


def test_an_expense_paid_outside_the_period_is_not_listed(client, hood, stream, spent):
    found = report.funder_report(hood.cooperative, stream, until_today(stream))
    assert sorted(p.amount for p in found.expenses) == [Decimal("45.50"), Decimal("120.00")]
    html = client.get(url("open_report", hood, stream, end=today().isoformat())).content.decode()
    assert "Groenteboer De Wit" in html
    assert "Bakker Bart" not in html
    later = report.funder_report(hood.cooperative, stream, report.Period(in_a_week(), in_a_week()))
    assert [p.payee for p in later.expenses] == ["Bakker Bart"]
    assert later.projects[0].spent_in_period == Decimal("80.00")
    assert later.projects[0].spent_to_date == Decimal("245.50")


def test_each_payment_carries_its_receipts_and_chain_events(hood, stream, spent):
    found = report.funder_report(hood.cooperative, stream, until_today(stream))
    for payment in found.expenses:
        expense = Expense.objects.get(cooperative=hood.cooperative, number=payment.number)
        assert payment.receipts == [expense.receipts.get().sha256]
        own = AuditEvent.objects.filter(
            cooperative=hood.cooperative, subject=f"budgets.expense:{expense.pk}"
        ).values_list("seq", flat=True)
        paid_event = AuditEvent.objects.get(
            cooperative=hood.cooperative,
            subject=f"ledger.transaction:{expense.batch.transaction_id}",
        )
        assert payment.seqs == sorted([*own, paid_event.seq])
    assert {p.payee for p in found.expenses} == {"Groenteboer De Wit", "a resident"}


def test_a_settled_advance_is_listed_with_what_the_budget_paid(hood, stream, spent, account):
    project, _paid = spent
    advance = approved(hood, ask_advance(hood, project.budget_account, amount="100.00"))
    pay(hood, advances=[advance], bank_account=account)
    services.settle_advance(
        advance, actor=hood.alice, spent="60.00", receipts_files=[(pdf_bytes(), "bon.pdf")]
    )
    found = report.funder_report(hood.cooperative, stream, until_today(stream))
    (settled,) = found.advances
    assert settled.amount == Decimal("60.00")
    assert settled.payee == "a resident"
    assert len(settled.receipts) == 1
    settlement = AuditEvent.objects.get(cooperative=hood.cooperative, action="advance.settled")
    assert settlement.seq in settled.seqs
    assert found.projects[0].spent_in_period == Decimal("225.50") == found.line.spent.amount


def test_the_decisions_of_the_period_hide_a_small_turnout(client, hood, stream, spent):
    found = report.funder_report(hood.cooperative, stream, until_today(stream))
    (decision,) = found.decisions
    assert not decision.turnout_shown
    assert decision.event_seq is not None
    html = client.get(url("open_report", hood, stream), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert decision.vote.title in html
    assert "people voted, so we do not show numbers" in html
    before = report.funder_report(
        hood.cooperative, stream, report.Period(stream.starts_on, stream.starts_on)
    )
    assert before.decisions == []


def _time_for(hood, partner, people: int):
    activity = time_services.add_activity(hood.cooperative, actor=hood.bob, name="Koffie")
    residents = [
        member_services.register_resident(
            hood.cooperative, actor=None, full_name=f"Buur {number}", email=None
        )
        for number in range(people)
    ]
    Contribution.objects.bulk_create(
        Contribution(
            cooperative=hood.cooperative,
            contributor=person,
            activity=activity,
            hours=Decimal("2"),
            date=today(),
            status="confirmed",
            beneficiary="partner",
            beneficiary_partner=partner,
        )
        for person in residents
    )
    summary.rebuild(hood.cooperative)


def test_the_time_given_to_the_funder_stays_hidden_for_a_small_group(hood, stream, funder):
    _time_for(hood, funder, 4)
    found = report.funder_report(hood.cooperative, stream, until_today(stream))
    (given,) = found.time
    assert given.year == today().year
    assert given.row["suppressed"] and given.row["hours"] is None


def test_the_time_given_to_the_funder_by_five_people(client, hood, stream, funder):
    _time_for(hood, funder, 5)
    found = report.funder_report(hood.cooperative, stream, until_today(stream))
    (given,) = found.time
    assert given.row["hours"] == Decimal("10.00")
    assert given.row["people"] == 5
    # In the workbook, hours are a number but not an amount of money.
    response = client.get(url("open_report_xlsx", hood, stream), HTTP_ACCEPT_LANGUAGE="en")
    summary_sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    (hours,) = [
        row[1] for row in summary_sheet.iter_rows() if str(row[0].value).startswith("Hours given")
    ]
    assert hours.value == 10
    assert "€" not in hours.number_format


def test_the_page_carries_the_head_of_the_chain(client, hood, stream, spent):
    response = client.get(url("open_report", hood, stream), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    seq, digest = head(hood)
    assert digest in html
    assert "Wijkbudget" in html
    assert "Groenteboer De Wit" in html
    assert "a resident" in html
    for person in hood.people.values():
        assert person.get_full_name() not in html
    assert url("open_report_pdf", hood, stream) in html
    assert url("open_report_xlsx", hood, stream) in html


def test_the_default_period_is_the_streams_up_to_today(client, hood, stream):
    html = client.get(url("open_report", hood, stream)).content.decode()
    assert f'value="{stream.starts_on.isoformat()}"' in html
    assert f'value="{today().isoformat()}"' in html
    # The presets are links with both dates.
    own = f"start={stream.starts_on.isoformat()}&amp;end={stream.ends_on.isoformat()}"
    assert own in html
    last_year_link = f"start={today().year - 1}-01-01&amp;end={today().year - 1}-12-31"
    assert last_year_link in html


def test_the_presets_include_the_last_whole_quarter(stream):
    presets = dict(report.presets(stream, datetime.date(2026, 2, 10)))
    assert report.Period(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)) in (
        presets.values()
    )
    presets = dict(report.presets(stream, datetime.date(2026, 8, 31)))
    assert report.Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)) in (
        presets.values()
    )


def test_the_pdf_is_the_page_with_the_head_of_the_chain(hood, stream, spent):
    client = hood.client_for(None)
    response = client.get(url("open_report_pdf", hood, stream), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    name = f"funder-report-teststad-wijkbudget-{stream.pk}-{stream.starts_on}-{today()}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    reader = PdfReader(io.BytesIO(response.content))
    # Words as the PDF wraps them, put back on one line; a fingerprint may be broken anywhere.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    joined = "".join(text.split())
    _seq, digest = head(hood)
    assert digest in joined
    assert "Wijkbudget" in text
    assert "Groenteboer De Wit" in text
    assert "a resident" in text
    assert "Fingerprint of the chain" in text
    for person in hood.people.values():
        assert person.get_full_name() not in text
    # A footer with page numbers, and no navigation of the site.
    assert "1 / " in text
    assert "Skip to main content" not in text


def test_the_workbook_has_the_same_numbers_as_numbers(hood, stream, spent):
    response = hood.client_for(None).get(url("open_report_xlsx", hood, stream))
    assert response.status_code == 200
    name = f"funder-report-teststad-wijkbudget-{stream.pk}-{stream.starts_on}-{today()}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 4
    summary_sheet, projects, expenses, decisions = (book[name] for name in book.sheetnames)
    values = {row[0]: row[1] for row in summary_sheet.iter_rows(values_only=True) if row[0]}
    found = report.funder_report(hood.cooperative, stream, until_today(stream))
    numbers = [v for v in values.values() if isinstance(v, int | float)]
    for amount in (
        found.line.received.amount,
        found.line.allocated.amount,
        found.line.spent.amount,
        found.line.left.amount,
    ):
        assert float(amount) in numbers
    seq, digest = head(hood)
    assert digest in values.values()
    assert seq in values.values()
    money_cells = [
        cell for row in summary_sheet.iter_rows() for cell in row if isinstance(cell.value, float)
    ]
    assert money_cells and all("€" in cell.number_format for cell in money_cells)
    (project_row,) = list(projects.iter_rows(min_row=2, values_only=True))
    assert project_row[2:] == (3000, 165.5, 165.5, 2834.5)
    amounts = sorted(row[6] for row in expenses.iter_rows(min_row=2, values_only=True))
    assert amounts == [45.5, 120]
    payees = {row[5] for row in expenses.iter_rows(min_row=2, values_only=True)}
    assert "Groenteboer De Wit" in payees
    for person in hood.people.values():
        assert person.get_full_name() not in str(list(expenses.values))
    (decision_row,) = list(decisions.iter_rows(min_row=2, values_only=True))
    assert decision_row[5] == 3000


BAD_PERIODS = [
    ({"start": "gisteren"}, "is not a date"),
    ({"end": "2026-02-30"}, "is not a date"),
    ({"start": "2026-06-01", "end": "2026-05-31"}, "The end date is before the start date."),
    ({"start": "2010-01-01", "end": "2020-01-01"}, "A report covers at most 10 years."),
    ({"start": "1999-12-31", "end": "2000-06-30"}, "Choose dates from 1 January 2000 on."),
]


@pytest.mark.parametrize("query, message", BAD_PERIODS)
def test_a_bad_period_is_shown_in_the_form(client, hood, stream, query, message):
    events = AuditEvent.objects.count()
    response = client.get(url("open_report", hood, stream, **query), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('<form method="get"') : html.index("</form>")]
    assert message.replace("“", "&ldquo;") in form or message in form
    assert 'class="error"' in form
    assert "Fingerprint of the chain" not in html
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", ["open_report_pdf", "open_report_xlsx"])
@pytest.mark.parametrize("query, message", BAD_PERIODS)
def test_a_bad_period_is_refused_as_text(client, hood, stream, name, query, message):
    events = AuditEvent.objects.count()
    response = client.get(url(name, hood, stream, **query), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()
    assert "Content-Disposition" not in response
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", ["open_report", "open_report_pdf", "open_report_xlsx"])
def test_anyone_may_open_the_report_and_download_it(hood, stream, name):
    for persona in (None, "alice", "frank", "olivia"):
        assert hood.client_for(persona).get(url(name, hood, stream)).status_code == 200


@pytest.mark.parametrize("name", ["open_report", "open_report_pdf", "open_report_xlsx"])
def test_an_unknown_stream_is_not_found(client, hood, stream, name):
    missing = reverse(f"budgets:{name}", args=[hood.cooperative.slug, stream.pk + 1000])
    assert client.get(missing).status_code == 404
    elsewhere = reverse(f"budgets:{name}", args=[hood.other.slug, stream.pk])
    assert client.get(elsewhere).status_code == 404


def _queries(hood, stream) -> int:
    with CaptureQueriesContext(connection) as queries:
        found = report.funder_report(hood.cooperative, stream, until_today(stream))
        assert found.expenses
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_expenses(hood, stream, spent, account):
    project, _paid = spent
    few = _queries(hood, stream)
    budget = project.budget_account
    more = [approved_invoice(hood, budget, supplier_name=f"Winkel {n}") for n in range(4)]
    more += [approved(hood, claim(hood, budget)) for _ in range(2)]
    pay(hood, expenses=more, bank_account=account)
    found = report.funder_report(hood.cooperative, stream, until_today(stream))
    assert len(found.expenses) == 8
    assert _queries(hood, stream) == few
