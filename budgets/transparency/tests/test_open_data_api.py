"""The open data endpoints for a visitor who is not logged in: the same figures as the open
pages (from the same selectors), in JSON and as CSV, with residents never named, small groups
left out, clear refusals, and the same number of queries whatever the amount of data."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from budgets import services
from budgets.models import BankAccount, Expense
from budgets.tests.conftest import eligible, end, open_yes_no
from budgets.tests.expense_helpers import (
    ALICE_IBAN,
    SUPPLIER_IBAN,
    adopt,
    approved,
    bank,
    claim,
    invoice,
    pay,
)
from budgets.transparency import api, pictures, selectors
from members import services as member_services
from reciprocity import services as time_services
from reciprocity.models import Contribution
from wijkbv.audit.models import AuditEvent

SLUG = "teststad"
LISTS = ["api-open-flows", "api-open-decisions", "api-open-projects", "api-open-partners"]


def url(name, *args, **query):
    found = reverse(name, args=[SLUG, *args])
    if query:
        found += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return found


def get(client, name, *args, **query):
    response = client.get(url(name, *args, **query))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def table(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def results(body):
    return body["results"] if isinstance(body, dict) else body


def account(hood):
    """The cooperative's bank account to pay from, added the first time it is asked for."""
    found = BankAccount.objects.filter(cooperative=hood.cooperative).first()
    return found or bank(hood)


def spend(hood, stream, title="Buurtmaaltijd", *, invoices=1, amount="120.00"):
    """An adopted project of € 3.000 from the stream, with alice's claim of € 45,50 and
    `invoices` invoices of `amount` paid, and an invoice of € 80 approved but not paid."""
    project = adopt(hood, stream, title=title)
    budget = project.budget_account
    bills = [invoice(hood, budget, amount=amount) for _number in range(invoices)]
    paid = [approved(hood, claim(hood, budget), first="bob")]
    paid += [approved(hood, bill, first="bob") for bill in bills]
    pay(hood, expenses=paid, bank_account=account(hood))
    waiting = invoice(hood, budget, amount="80.00", supplier_name="Bakker Bart")
    approved(hood, waiting, first="bob")
    return project


@pytest.fixture
def project(hood, stream):
    return spend(hood, stream)


# What each endpoint holds


def test_the_summary_has_the_figures_of_the_open_page(client, hood, stream, project):
    body = get(client, "api-open")
    picture = selectors.money(hood.cooperative)

    assert body["currency"] == "EUR"
    assert body["totals"] == {
        "received": "10000.00",
        "allocated": "3000.00",
        "spent": "165.50",
        "left": "9834.50",
    }
    assert body["totals"]["left"] == f"{picture.left:.2f}"
    wijkbudget, reserve = body["sources"]
    assert wijkbudget["kind"] == "stream"
    assert wijkbudget["id"] == stream.pk
    assert wijkbudget["funder_name"] == "Gemeente Teststad"
    assert wijkbudget["committed"] == "20000.00"
    assert wijkbudget["in_fund"] == "7000.00"
    assert wijkbudget["starts_on"] == "2026-01-01"
    assert reserve["kind"] == "reserve"
    assert reserve["id"] is None and reserve["committed"] is None
    head = AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("-seq").first()
    assert body["chain_head"] == {"seq": head.seq, "hash": head.hash}
    assert body["min_group_size"] == 5


def test_every_link_of_the_summary_opens(client, hood, stream, project):
    body = get(client, "api-open")
    links = list(body["links"].values())
    links += [link for source in body["sources"] for link in source["links"].values()]

    for link in links:
        assert link.startswith("http://testserver/")
        assert client.get(link).status_code == 200, link


def test_the_flows_are_the_lines_of_the_picture(client, hood, stream, project):
    rows = get(client, "api-open-flows")

    picture = selectors.money(hood.cooperative)
    drawn = pictures.flow_rows(picture, SLUG)
    assert [(r["from"], r["to"], r["amount"]) for r in rows] == [
        (str(r["source"]), str(r["target"]), f"{r['amount']:.2f}") for r in drawn
    ]
    kinds = {(r["from_kind"], r["from_id"], r["to_kind"], r["to_id"]): r["amount"] for r in rows}
    assert kinds == {
        ("funder", stream.funder_id, "stream", stream.pk): "10000.00",
        ("stream", stream.pk, "not_allocated", None): "7000.00",
        ("stream", stream.pk, "project", project.number): "3000.00",
        ("project", project.number, "suppliers", None): "120.00",
        ("project", project.number, "residents", None): "45.50",
        ("project", project.number, "not_spent", None): "2834.50",
    }
    assert {row["currency"] for row in rows} == {"EUR"}


def test_the_projects_have_their_budget_spending_by_kind_and_what_is_left(
    client, hood, stream, project
):
    (row,) = get(client, "api-open-projects")

    assert row["number"] == project.number
    assert row["title"] == "Buurtmaaltijd"
    assert row["stream_id"] == stream.pk and row["stream_name"] == "Wijkbudget"
    assert (row["budget"], row["spent"], row["left"]) == ("3000.00", "165.50", "2834.50")
    assert row["spent_by_kind"] == {
        "suppliers": "120.00",
        "residents": "45.50",
        "advances": "0.00",
        "other": "0.00",
    }
    assert row["progress"] == 5
    assert row["links"]["expenses"].endswith(url("api-open-expenses", project.number))


def test_the_expenses_name_suppliers_and_never_a_resident(client, hood, stream, project):
    body = get(client, "api-open-expenses", project.number)

    assert body["count"] == 3
    by_who = {
        (row["paid_to"], row["paid_to_kind"], row["amount"], row["status"])
        for row in body["results"]
    }
    assert by_who == {
        ("a resident", "resident", "45.50", "paid"),
        ("Groenteboer De Wit", "supplier", "120.00", "paid"),
        ("Bakker Bart", "supplier", "80.00", "approved"),
    }
    for row in body["results"]:
        expense = Expense.objects.get(cooperative=hood.cooperative, number=row["number"])
        assert row["receipts"] == [receipt.sha256 for receipt in expense.receipts.all()]
        assert row["date"] == expense.spent_on.isoformat()
        assert row["what_for"] == expense.description
        own = set(
            AuditEvent.objects.filter(
                cooperative=hood.cooperative, subject=f"budgets.expense:{expense.pk}"
            ).values_list("seq", flat=True)
        )
        assert own and own <= set(row["chain_seqs"])
        if expense.batch:  # the payment's event too
            assert len(row["chain_seqs"]) > len(own)


def test_no_endpoint_names_a_resident_or_shows_an_account_number(client, hood, stream, project):
    answers = [client.get(url(name)) for name in ["api-open", *LISTS]] + [
        client.get(url("api-open-expenses", project.number)),
        client.get(url("api-open-expenses", project.number, format="csv")),
        client.get(url("api-open-funder", stream.funder_id)),
        client.get(url("api-open-stream", stream.pk)),
    ]
    answers += [client.get(url(name, format="csv")) for name in LISTS]

    for response in answers:
        assert response.status_code == 200
        text = response.content.decode()
        for person in hood.people.values():
            assert person.get_full_name() not in text
            assert person.email not in text
        assert ALICE_IBAN not in text and SUPPLIER_IBAN not in text


def test_a_small_vote_has_no_turnout(client, hood, stream, project):
    (row,) = get(client, "api-open-decisions")["results"]

    (decision,) = selectors.decisions(hood.cooperative)
    assert row["title"] == decision.vote.title
    assert row["outcome"] == "adopted"
    assert row["voted"] is None and row["voters"] is None and row["turnout_percent"] is None
    assert row["adopted"] == [
        {"number": project.number, "title": "Buurtmaaltijd", "amount": "3000.00"}
    ]
    assert row["allocated"] == "3000.00"
    assert row["chain_seq"] == decision.event_seq is not None


def test_a_vote_of_five_people_shows_its_turnout(client, hood, stream):
    proposal = eligible(hood, stream, "Geveltuinen", "2500", theme="green")
    vote = open_yes_no(hood, proposal, stream)
    for name in ["alice", "bob", "carol", "dave", "erin"]:
        services.cast_ballot(vote, actor=hood.people[name], choice="yes")
    services.close_vote(end(vote), actor=hood.carol)

    (row,) = get(client, "api-open-decisions")["results"]

    (decision,) = selectors.decisions(hood.cooperative)
    assert (row["voted"], row["voters"]) == (5, decision.voters)
    assert row["turnout_percent"] == decision.turnout_percent


def test_the_funder_has_its_streams_projects_decisions_and_time(client, hood, stream, project):
    body = get(client, "api-open-funder", stream.funder_id)

    assert body["name"] == "Gemeente Teststad"
    assert body["totals"]["received"] == "10000.00"
    (only,) = body["streams"]
    assert only["id"] == stream.pk
    assert [p["number"] for p in only["projects"]] == [project.number]
    assert len(body["decisions"]) == 1
    assert body["time"] is None  # no hours given to it yet
    picture = selectors.money(hood.cooperative, funder=stream.funder)
    assert len(body["flows"]) == len(pictures.flow_rows(picture, SLUG, with_funders=False))


def test_the_stream_has_its_money_in_projects_and_months(client, hood, stream, project):
    body = get(client, "api-open-stream", stream.pk)

    assert (body["name"], body["committed"], body["received"]) == (
        "Wijkbudget",
        "20000.00",
        "10000.00",
    )
    assert body["earmark"] == ["care", "green"]
    assert body["payments"] == [{"date": datetime.date.today().isoformat(), "amount": "10000.00"}]
    assert len(body["months"]) == selectors.MONTHS
    assert body["months"][-1]["spent"] == "165.50"
    assert [p["number"] for p in body["projects"]] == [project.number]
    assert "payer_iban" not in body


def _time_for_partner(hood, stream, people: int):
    activity = time_services.add_activity(hood.cooperative, actor=hood.bob, name="Klussen")
    for number in range(people):
        resident = member_services.register_resident(
            hood.cooperative, actor=None, full_name=f"Buur {number}", email=None
        )
        contribution = time_services.log_contribution(
            hood.cooperative,
            actor=hood.bob,
            activity=activity,
            hours="2",
            beneficiary="partner",
            beneficiary_partner=stream.funder,
            contributor=resident,
        )
        if contribution.status != "confirmed":
            time_services.confirm_contribution(contribution, actor=hood.bob)


def test_partners_hours_are_left_out_when_fewer_than_five_people_gave_them(client, hood, stream):
    _time_for_partner(hood, stream, 4)

    (row,) = get(client, "api-open-partners")

    assert row == {
        "name": "Gemeente Teststad",
        "funder_id": stream.funder_id,
        "money": "10000.00",
        "currency": "EUR",
        "time": {"hours": None, "people": None, "suppressed": True},
    }


def test_partners_show_the_hours_of_five_people(client, hood, stream):
    _time_for_partner(hood, stream, 5)

    (row,) = get(client, "api-open-partners")

    assert row["time"] == {"hours": "10.00", "people": 5, "suppressed": False}
    assert Contribution.objects.filter(cooperative=hood.cooperative).count() == 5


# CSV


@pytest.mark.parametrize("name", LISTS)
def test_each_list_is_also_a_table_with_the_same_rows(client, hood, stream, project, name):
    items = results(get(client, name))

    by_format = table(client.get(url(name, format="csv")))
    by_accept = table(client.get(url(name), HTTP_ACCEPT="text/csv"))

    view = {
        "api-open-flows": api.FlowsView,
        "api-open-decisions": api.DecisionsView,
        "api-open-projects": api.ProjectsView,
        "api-open-partners": api.PartnersView,
    }[name]()
    expected = [
        {key: "" if value is None else str(value) for key, value in view.flat_row(item).items()}
        for item in items
    ]
    assert by_format == expected
    assert by_accept == expected
    assert "Accept" in client.get(url(name))["Vary"]
    assert list(by_format[0]) == view.csv_columns


def test_the_expenses_table_has_one_row_per_expense(client, hood, stream, project):
    items = get(client, "api-open-expenses", project.number)["results"]

    response = client.get(url("api-open-expenses", project.number, format="csv"))
    rows = table(response)

    assert [row["number"] for row in rows] == [str(item["number"]) for item in items]
    assert [row["paid_to"] for row in rows] == [item["paid_to"] for item in items]
    assert [row["receipts"] for row in rows] == [" ".join(item["receipts"]) for item in items]
    assert 'filename="teststad-project-' in response["Content-Disposition"]


def test_a_table_of_nothing_has_its_header(client, hood):
    response = client.get(url("api-open-projects", format="csv"))

    assert response.status_code == 200
    (header,) = list(csv.reader(io.StringIO(response.content.decode())))
    assert header == api.ProjectsView.csv_columns


# Pages


def test_the_expenses_come_fifty_to_a_page(client, hood, stream):
    project = spend(hood, stream, invoices=50, amount="10.00")  # 51 paid, 1 approved: 52

    first = get(client, "api-open-expenses", project.number)
    second = get(client, "api-open-expenses", project.number, page=2)

    assert first["count"] == 52
    assert len(first["results"]) == 50 and len(second["results"]) == 2
    assert first["next"].endswith("page=2") and second["next"] is None
    numbers = [row["number"] for row in first["results"] + second["results"]]
    assert len(set(numbers)) == 52
    rows = table(client.get(url("api-open-expenses", project.number, page=2, format="csv")))
    assert [row["number"] for row in rows] == [str(row["number"]) for row in second["results"]]


# Refusals


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"page": "abc"}, 400, "Give the page as a whole number, 1 or more."),
        ({"page": "-1"}, 400, "Give the page as a whole number, 1 or more."),
        ({"page": "0"}, 400, "Give the page as a whole number, 1 or more."),
        ({"page": "1.5"}, 400, "Give the page as a whole number, 1 or more."),
        ({"page": "9" * 30}, 400, "Give the page as a whole number, 1 or more."),
        ({"page": "2"}, 404, "There is no page 2: the last page is 1."),
        ({"format": "xml"}, 400, "This address answers in these formats: json, csv."),
        ({"page": "abc", "format": "csv"}, 400, "Give the page as a whole number, 1 or more."),
    ],
)
def test_a_bad_parameter_is_refused_with_a_message(
    client, hood, stream, project, query, status, message
):
    response = client.get(url("api-open-decisions", **query))

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == message


def test_a_refusal_is_json_when_a_table_was_asked_for(client, hood, stream):
    response = client.get(url("api-open-expenses", 999999, format="csv"))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "There is no adopted project with this number."}


def test_a_table_of_one_thing_is_not_offered(client, hood, stream):
    response = client.get(url("api-open-stream", stream.pk, format="csv"))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This address answers in these formats: json.",
        "code": "unknown_format",
        "field": "format",
    }


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("api-open-expenses", [999999], "There is no adopted project with this number."),
        ("api-open-funder", [999999], "There is no funder with this number."),
        ("api-open-stream", [999999], "There is no funding stream with this number."),
    ],
)
def test_something_unknown_is_not_found(client, hood, stream, name, args, message):
    response = client.get(url(name, *args))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": message}


@pytest.mark.parametrize("name", ["api-open", *LISTS])
def test_an_unknown_cooperative_is_not_found(client, hood, name):
    response = client.get(reverse(name, args=["nowhere"]))

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no cooperative at this address."}


def test_a_proposal_not_adopted_has_no_expenses_here(client, hood, stream):
    proposal = eligible(hood, stream, "Nog niet besloten", "500")

    response = client.get(url("api-open-expenses", proposal.number))

    assert response.status_code == 404


def test_a_funder_without_streams_is_not_found(client, hood, stream):
    other = member_services.add_partner_organisation(
        hood.cooperative, actor=hood.carol, name="Bakkerij", sector="business"
    )

    response = client.get(url("api-open-funder", other.pk))

    assert response.status_code == 404


def test_a_funder_of_another_cooperative_is_not_found_here(client, hood, stream):
    response = client.get(reverse("api-open-funder", args=["elders", stream.funder_id]))

    assert response.status_code == 404


def test_it_needs_no_login_and_ignores_credentials(client, hood, stream, project):
    response = client.get(url("api-open"), HTTP_AUTHORIZATION="Token no-such-token")

    assert response.status_code == 200
    assert not response.cookies
    funder = hood.client_for("frank")
    funder.cookies["django_language"] = "en"
    assert funder.get(url("api-open")).json() == response.json()


def test_it_changes_nothing(client, hood, stream, project):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url("api-open")).status_code == 405
        assert method(url("api-open-projects")).status_code == 405


# Queries


def _queries(client, urls) -> dict[str, int]:
    counts = {}
    for address in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts[address] = len(queries)
    return counts


def test_the_number_of_queries_does_not_grow_with_the_data(client, hood, stream, project):
    urls = [url("api-open"), *(url(name) for name in LISTS)]
    urls += [url(name, format="csv") for name in LISTS]
    urls += [
        url("api-open-expenses", project.number),
        url("api-open-funder", stream.funder_id),
        url("api-open-stream", stream.pk),
    ]
    small = _queries(client, urls)

    spend(hood, stream, title="Geveltuinen", invoices=4)
    spend(hood, stream, title="Maatjesproject", invoices=2)
    for _number in range(3):
        spend_more = invoice(hood, project.budget_account, amount="10.00")
        pay(hood, expenses=[approved(hood, spend_more, first="bob")], bank_account=account(hood))
    _time_for_partner(hood, stream, 6)

    assert _queries(client, urls) == small


# The schema


def test_the_schema_documents_every_endpoint_under_open_data():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    paths = {
        path: operations["get"]
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/c/{slug}/open/")
        and "tags" in operations["get"]
        and "Open data" in operations["get"]["tags"]
    }
    assert sorted(paths) == [
        "/api/v1/c/{slug}/open/",
        "/api/v1/c/{slug}/open/decisions/",
        "/api/v1/c/{slug}/open/flows/",
        "/api/v1/c/{slug}/open/funders/{id}/",
        "/api/v1/c/{slug}/open/partners/",
        "/api/v1/c/{slug}/open/projects/",
        "/api/v1/c/{slug}/open/projects/{number}/expenses/",
        "/api/v1/c/{slug}/open/streams/{id}/",
        "/api/v1/c/{slug}/open/thanks/",
        "/api/v1/c/{slug}/open/time/",
    ]
    for path, operation in paths.items():
        assert operation["summary"] and operation["description"], path
        assert operation["security"] == [{}], path
        assert "application/json" in operation["responses"]["200"]["content"], path
    for path in ["flows/", "decisions/", "projects/", "partners/", "projects/{number}/expenses/"]:
        assert "text/csv" in paths[f"/api/v1/c/{{slug}}/open/{path}"]["responses"]["200"]["content"]


def test_the_open_page_lists_the_open_data(client, hood, stream, project):
    response = client.get(reverse("budgets:open", args=[SLUG]))

    html = response.content.decode()
    for name in ["api-open", *LISTS, "api-time-public"]:
        assert f'href="{url(name)}"' in html, name
    for name in LISTS:
        assert f'href="{url(name, format="csv")}"' in html, name
    assert f'href="{reverse("api-docs")}"' in html
