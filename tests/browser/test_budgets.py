"""Deciding together in the browser: a resident on a phone ticks projects while the budget bar
follows, sends too much and is told so with her choice kept, votes and keeps her receipt; the
board closes the vote; the results page shows the chart and finds her ballot by its receipt.
The pages a sample URL cannot reach (ballot, receipt, results, paper ballots) pass the
accessibility gate here."""

import datetime

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import BallotRecord, Vote
from members import services as member_services
from tests.browser.helpers import assert_accessible, submit, wijkbudget

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def become(page, hood, name, live_server):
    page.context.clear_cookies()
    session = hood.client_for(name).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


@pytest.fixture
def vote(hood):
    """A participatory budget of € 7.000 on three projects, open now."""
    stream = wijkbudget(hood, earmark=())
    proposals = []
    for title, amount in (
        ("Buurtmaaltijd", "3000"),
        ("Geveltuinen", "2500"),
        ("Speeltuin", "4000"),
    ):
        proposal = services.submit_proposal(
            hood.cooperative,
            actor=hood.alice,
            title=title,
            description=f"{title} voor de buurt.",
            amount=amount,
            theme="green",
            stream=stream,
        )
        proposals.append(services.check_proposal(proposal, actor=hood.carol, eligible=True))
    now = timezone.now()
    return services.open_vote(
        hood.cooperative,
        actor=hood.carol,
        title="Wijkbudget 2026",
        kind="budget",
        electorate="members",
        weighting="per_member",
        proposals=proposals,
        rule="mes",
        stream=stream,
        budget_limit="7000",
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(hours=1),
    )


def test_a_resident_votes_with_the_budget_bar_and_finds_her_ballot(page, hood, vote, live_server):
    page.set_viewport_size(PHONE)
    become(page, hood, "alice", live_server)
    page.goto(f"/c/teststad/decide/votes/{vote.pk}/")
    assert_accessible(page)

    for number in ("1", "2", "3"):
        page.check(f"#approval-{number}")
    assert "9.500" in page.locator("#budget-status").inner_text()
    assert page.locator("#budget-over").is_visible()

    submit(page, "main form.ballot")
    assert not BallotRecord.objects.exists()
    assert page.locator("#approval-2").is_checked()
    assert page.locator("#approvals-error").count() == 1

    page.uncheck("#approval-2")
    assert "7.000" in page.locator("#budget-status").inner_text()
    assert not page.locator("#budget-over").is_visible()
    submit(page, "main form.ballot")
    ballot = BallotRecord.objects.get()
    assert ballot.approvals == ["1", "3"]
    assert ballot.tracker in page.locator(".receipt").inner_text()

    become(page, hood, "bob", live_server)
    page.goto(f"/c/teststad/decide/votes/{vote.pk}/paper/")
    assert_accessible(page)
    page.goto(f"/c/teststad/decide/votes/{vote.pk}/results/")
    assert_accessible(page)  # the page that says results come after the close

    Vote.objects.filter(pk=vote.pk).update(
        opens_at=timezone.now() - datetime.timedelta(hours=2),
        closes_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    become(page, hood, "carol", live_server)
    page.goto("/c/teststad/decide/board/")
    assert_accessible(page)
    submit(page, "main form[action$='/close/']")
    page.wait_for_url(f"**/votes/{vote.pk}/results/")
    assert page.locator("svg.chart[role=img] title").count() == 1

    become(page, hood, "alice", live_server)
    page.goto(f"/c/teststad/decide/votes/{vote.pk}/results/")
    page.fill("#receipt", ballot.tracker[:8])
    submit(page, "main form.search")
    assert ballot.tracker in page.locator("table.ballots").inner_text()
    page.goto(f"/c/teststad/decide/votes/{vote.pk}/")
    assert_accessible(page)  # the ballot of a closed vote says so


def test_a_yes_no_ballot_and_its_errors_pass_the_gate(page, hood, live_server):
    place = member_services.add_place(
        hood.cooperative, actor=hood.bob, name="Buurtkamer", kind="community_room"
    )
    now = timezone.now()
    vote = services.open_vote(
        hood.cooperative,
        actor=hood.carol,
        title="Een bankje bij de vijver?",
        kind="yes_no",
        electorate="members",
        weighting="per_member",
        threshold="simple",
        quorum=20,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(hours=1),
    )
    become(page, hood, "alice", live_server)
    page.goto(f"/c/teststad/decide/votes/{vote.pk}/")
    assert_accessible(page)
    submit(page, "main form.ballot")
    assert page.locator(".error").count() >= 1
    page.check("input[name=choice][value=yes]")
    submit(page, "main form.ballot")
    assert BallotRecord.objects.get().choice == "yes"

    become(page, hood, "bob", live_server)
    page.goto(f"/c/teststad/decide/votes/{vote.pk}/paper/")
    page.fill("input[name=member]", "999")
    page.select_option("select[name=place]", str(place.pk))
    submit(page, "main form[method=post]")
    assert page.locator(".error").count() >= 1
