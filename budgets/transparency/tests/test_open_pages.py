"""The open pages for a visitor who is not logged in: the figures add up to the books, people
are never named, small groups stay hidden, and every decision and expense links to its event
in the chain."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from budgets import services
from budgets.tests.expense_helpers import adopt, approved, claim, invoice, pay
from budgets.transparency import selectors
from members import services as member_services
from members.models import Role, Sector
from wijkbv.audit.models import AuditEvent


@pytest.fixture
def spent(hood, stream):
    """A project of € 3.000 from the stream, with a resident's claim of € 45,50 and a
    supplier's invoice of € 120 paid, and an invoice of € 80 approved but not paid."""
    project = adopt(hood, stream)
    budget = project.budget_account
    paid = [
        approved(hood, claim(hood, budget)),
        approved(hood, invoice(hood, budget), first="carol", second="bob"),
    ]
    pay(hood, expenses=paid)
    waiting = approved(
        hood,
        invoice(hood, budget, amount="80.00", supplier_name="Bakker Bart"),
        first="carol",
        second="bob",
    )
    return project, paid, waiting


def page(client, name, *args):
    response = client.get(reverse(f"budgets:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_money_adds_up_to_the_books(hood, stream, spent):
    project, _paid, _waiting = spent
    picture = selectors.money(hood.cooperative)
    source = next(s for s in picture.sources if s.stream == stream)
    assert source.received == Decimal("10000.00")
    assert source.allocated == Decimal("3000.00")
    assert source.in_fund == Decimal("7000.00")
    (budget,) = source.projects
    assert budget.proposal == project
    assert budget.allocated == Decimal("3000.00")
    assert budget.spent == Decimal("165.50")
    assert budget.left == Decimal("2834.50")
    assert budget.by_kind == {
        selectors.SUPPLIERS: Decimal("120.00"),
        selectors.RESIDENTS: Decimal("45.50"),
    }
    assert budget.progress == 5
    assert picture.received == Decimal("10000.00")
    assert picture.spent == Decimal("165.50")
    # The ledger's own balance of the project budget says the same.
    assert -project.budget_account.balance.amount == budget.left


def test_the_open_page_shows_money_in_decided_spent_and_left(client, hood, stream, spent):
    html = page(client, "open", hood.cooperative.slug)
    assert "Wijkbudget" in html
    assert "Buurtmaaltijd" in html
    assert "<svg" in html and 'role="img"' in html
    assert reverse("budgets:open_stream", args=[hood.cooperative.slug, stream.pk]) in html
    head = AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("-seq").first()
    assert head.hash in html


def test_the_flow_table_has_the_numbers_of_the_picture(hood, stream, spent):
    from budgets.transparency import pictures

    rows = pictures.flow_rows(selectors.money(hood.cooperative), hood.cooperative.slug)
    flows = {(row["source"], row["target"]): row["amount"] for row in rows}
    assert flows[(stream.funder.name, "Wijkbudget")] == Decimal("10000.00")
    assert flows[("Wijkbudget", "Buurtmaaltijd")] == Decimal("3000.00")
    assert flows[("Buurtmaaltijd", "Paid to suppliers")] == Decimal("120.00")
    assert flows[("Buurtmaaltijd", "Paid back to residents")] == Decimal("45.50")
    assert flows[("Buurtmaaltijd", "Not spent yet")] == Decimal("2834.50")
    assert flows[("Wijkbudget", "Not decided on yet")] == Decimal("7000.00")


def test_the_project_page_names_suppliers_never_residents(client, hood, stream, spent):
    project, paid, waiting = spent
    html = page(client, "open_project", hood.cooperative.slug, project.number)
    assert "Groenteboer De Wit" in html
    assert "Bakker Bart" in html  # approved, not paid yet, is listed with its status
    assert "a resident" in html
    for person in hood.people.values():
        assert person.get_full_name() not in html
    assert "NL02ABNA0123456789" not in html  # no account numbers
    # Every expense links to its events in the chain, down to its receipt's fingerprint.
    for expense in paid:
        seqs = AuditEvent.objects.filter(
            cooperative=hood.cooperative, subject=f"budgets.expense:{expense.pk}"
        ).values_list("seq", flat=True)
        assert seqs
        for seq in seqs:
            assert reverse("budgets:open_chain_event", args=[hood.cooperative.slug, seq]) in html
        receipt = expense.receipts.get()
        assert receipt.sha256[:12] in html


def test_a_visitor_cannot_open_a_receipt_but_a_funder_can(client, hood, stream, spent):
    project, paid, waiting = spent
    receipt = paid[1].receipts.get()
    url = reverse("budgets:receipt", args=[hood.cooperative.slug, receipt.pk])
    html = page(client, "open_project", hood.cooperative.slug, project.number)
    assert url not in html
    funder = hood.client_for("frank")
    html = page(funder, "open_project", hood.cooperative.slug, project.number)
    assert url in html
    assert funder.get(url).status_code == 200
    # Not the receipt of an expense that is not paid yet.
    unpaid = waiting.receipts.get()
    unpaid_url = reverse("budgets:receipt", args=[hood.cooperative.slug, unpaid.pk])
    assert unpaid_url not in html
    assert funder.get(unpaid_url).status_code == 404


def test_a_funder_opens_only_the_receipts_of_projects_paid_from_its_own_streams(hood, stream):
    insurer = member_services.add_partner_organisation(
        hood.cooperative, actor=None, name="Zorgverzekeraar Zuid", sector=Sector.BUSINESS
    )
    theirs = services.add_funding_stream(
        hood.cooperative,
        actor=hood.carol,
        funder=insurer,
        name="Zorg in de buurt",
        committed="5000",
        starts_on=stream.starts_on,
        ends_on=stream.ends_on,
    )
    services.record_stream_receipt(theirs, actor=hood.dave, amount="5000")
    ours = adopt(hood, stream).budget_account
    project = adopt(hood, theirs, title="Maatjesproject", amount="1000")
    paid = [
        approved(hood, invoice(hood, budget), first="carol", second="bob")
        for budget in (ours, project.budget_account)
    ]
    pay(hood, expenses=paid)
    own, other = (expense.receipts.get() for expense in paid)
    insurer_funder = member_services.register_resident(
        hood.cooperative,
        actor=None,
        full_name="Ivo Verzekeraar",
        email="ivo@example.org",
        roles=[Role.FUNDER],
        partner_organisation=insurer,
    ).user
    municipality, health = hood.client_for("frank"), Client()
    health.force_login(insurer_funder, backend="django.contrib.auth.backends.ModelBackend")

    def url(receipt):
        return reverse("budgets:receipt", args=[hood.cooperative.slug, receipt.pk])

    assert municipality.get(url(own)).status_code == 200
    assert municipality.get(url(other)).status_code == 404
    assert url(other) not in page(
        municipality, "open_project", hood.cooperative.slug, project.number
    )
    assert health.get(url(other)).status_code == 200
    assert health.get(url(own)).status_code == 404
    assert url(other) in page(health, "open_project", hood.cooperative.slug, project.number)


def test_the_stream_and_funder_pages(client, hood, stream, spent):
    project, _paid, _waiting = spent
    html = page(client, "open_stream", hood.cooperative.slug, stream.pk)
    assert "Buurtmaaltijd" in html
    assert reverse("budgets:open_project", args=[hood.cooperative.slug, project.number]) in html
    html = page(client, "open_funder", hood.cooperative.slug, stream.funder.pk)
    assert "Wijkbudget" in html


def test_a_small_vote_shows_no_turnout(hood, stream, spent):
    (decision,) = selectors.decisions(hood.cooperative)
    assert decision.vote.tally["turnout"]["voted"] == 1
    assert not decision.turnout_shown
    assert decision.voted is None and decision.voters is None
    assert decision.event_seq is not None
    event = AuditEvent.objects.get(cooperative=hood.cooperative, seq=decision.event_seq)
    assert event.action == "budget.vote_closed"


def test_spending_per_month_counts_what_budgets_paid(hood, stream, spent):
    rows = selectors.spending_by_month(hood.cooperative)
    assert len(rows) == selectors.MONTHS
    assert sum(amount for _start, amount in rows) == Decimal("165.50")
    assert rows[-1][0] == datetime.date.today().replace(day=1)


@pytest.mark.parametrize(
    "name, args",
    [
        ("open", ["nowhere"]),
        ("open_stream", ["{slug}", 999999]),
        ("open_funder", ["{slug}", 999999]),
        ("open_project", ["{slug}", 999999]),
    ],
)
def test_unknown_things_are_not_found(client, hood, name, args):
    args = [a.format(slug=hood.cooperative.slug) if isinstance(a, str) else a for a in args]
    assert client.get(reverse(f"budgets:{name}", args=args)).status_code == 404


def test_a_proposal_not_adopted_has_no_open_page(client, hood, stream):
    from budgets.tests.conftest import eligible

    proposal = eligible(hood, stream, "Nog niet besloten", "500")
    url = reverse("budgets:open_project", args=[hood.cooperative.slug, proposal.number])
    assert client.get(url).status_code == 404


def test_a_funder_without_streams_has_no_open_page(client, hood, stream):
    from members import services as member_services

    other = member_services.add_partner_organisation(
        hood.cooperative, actor=hood.carol, name="Bakkerij", sector="business"
    )
    url = reverse("budgets:open_funder", args=[hood.cooperative.slug, other.pk])
    assert client.get(url).status_code == 404


def test_a_vote_of_five_or_more_shows_its_turnout_and_counts(client, hood, stream):
    from budgets import services
    from budgets.tests.conftest import eligible, end, open_yes_no

    proposal = eligible(hood, stream, "Bankjes", "500")
    vote = open_yes_no(hood, proposal, stream)
    for name, choice in [("alice", "yes"), ("bob", "yes"), ("carol", "no"), ("dave", "yes")]:
        services.cast_ballot(vote, actor=hood.people[name], choice=choice)
    services.cast_ballot(vote, actor=hood.erin, choice="abstain")
    services.close_vote(end(vote), actor=hood.carol)
    (decision,) = selectors.decisions(hood.cooperative)
    assert decision.turnout_shown
    assert decision.voted == 5
    assert decision.counts == [("Yes", 3, False), ("No", 1, False), ("Abstain", 1, False)]
    html = page(client, "open", hood.cooperative.slug)
    assert "5 of " in html and "3 votes" in html


def test_a_vote_of_fewer_than_five_shows_no_counts(client, hood, stream, spent):
    (decision,) = selectors.decisions(hood.cooperative)
    assert decision.counts == []
    html = page(client, "open", hood.cooperative.slug)
    assert "Votes counted" not in html
    assert "Fewer than 5 people voted" in html
