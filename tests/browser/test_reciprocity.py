"""Giving time in the browser: a resident on a phone scans the QR code at a place, logs two
hours in three fields and sees them waiting; the coordinator confirms them; the public page
shows the neighbourhood's totals and the thank-you wall the names people chose to show. Every
page passes the accessibility gate, with and without its form's errors."""

import datetime

import pytest
from django.utils import timezone

from members import services as member_services
from reciprocity import services
from reciprocity.models import Contribution
from shares import services as share_services
from tests.browser.helpers import assert_accessible, submit
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
OTHERS = ["carol", "dave", "erin", "frank"]


@pytest.fixture
def meals(hood):
    return services.add_activity(hood.cooperative, actor=hood.bob, name="Gedeelde maaltijd")


@pytest.fixture
def room(hood):
    return member_services.add_place(
        hood.cooperative, actor=hood.bob, name="Buurtkamer", kind="community_room"
    )


@pytest.fixture
def neighbours_gave(hood, meals, room):
    """Four neighbours gave time at the community room already (confirmed)."""
    for name in OTHERS:
        contribution = services.log_contribution(
            hood.cooperative, actor=hood.people[name], activity=meals, hours="1", place=room
        )
        services.confirm_contribution(contribution, actor=hood.bob)


def become(page, hood, name, live_server):
    page.context.clear_cookies()
    session = hood.client_for(name).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def test_from_a_qr_code_to_the_public_page(page, hood, meals, room, neighbours_gave, live_server):
    page.set_viewport_size(PHONE)
    become(page, hood, "alice", live_server)
    page.goto(f"/c/teststad/time/log/?place={room.pk}&activity={meals.pk}")
    assert_accessible(page)
    assert "Buurtkamer" in page.locator("main").inner_text()

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.fill("input[name=date]", tomorrow.isoformat())
    submit(page, "main form[method=post]")
    assert page.locator(".error").count() == 1
    assert not Contribution.objects.filter(contributor__user=hood.alice).exists()

    page.select_option("select[name=hours]", "2")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    submit(page, "main form[method=post]")
    page.wait_for_url("**/c/teststad/time/")
    assert "Wacht op bevestiging" in page.locator("main").inner_text()
    logged = Contribution.objects.get(contributor__user=hood.alice)
    assert (logged.hours, logged.place, logged.status) == (2, room, "logged")

    become(page, hood, "bob", live_server)
    page.goto("/c/teststad/time/coordinate/")
    assert_accessible(page)
    submit(page, f"form[action$='/time/{logged.pk}/confirm/']")
    page.wait_for_url("**/time/coordinate/")
    logged.refresh_from_db()
    assert logged.status == "confirmed"

    page.context.clear_cookies()
    page.goto("/c/teststad/open/time/")
    assert_accessible(page)
    text = page.locator("main").inner_text()
    assert "6 uur" in text
    assert "Alice" not in text

    become(page, hood, "alice", live_server)
    page.goto("/c/teststad/time/")
    assert_accessible(page)
    assert "Bevestigd" in page.locator("main").inner_text()
    assert "2 uur" in page.locator("main table").inner_text()


def test_a_neighbour_declines_with_a_reason(page, hood, meals, live_server):
    page.set_viewport_size(PHONE)
    contribution = services.log_contribution(
        hood.cooperative,
        actor=hood.alice,
        activity=meals,
        hours="3",
        beneficiary="member",
        beneficiary_member=hood.membership("carol"),
    )
    become(page, hood, "carol", live_server)
    page.goto("/c/teststad/time/")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator(f"a[href*='/time/{contribution.pk}/decline/']").click()
    assert_accessible(page)

    submit(page, "main form[method=post]")
    assert page.locator(".error").count() == 1
    page.fill("textarea[name=reason]", "Het was anderhalf uur")
    submit(page, "main form[method=post]")

    contribution.refresh_from_db()
    assert contribution.status == "declined"


def test_the_thank_you_wall_and_the_coordinators_pages(page, hood, meals, room, live_server):
    become(page, hood, "alice", live_server)
    page.goto("/c/teststad/time/")
    page.fill("input[name=display_name]", "Alie")
    submit(page, "form[action$='/thank-you-wall/']")

    page.context.clear_cookies()
    page.goto("/c/teststad/open/thanks/")
    assert_accessible(page)
    assert "Alie" in page.locator("main").inner_text()

    become(page, hood, "bob", live_server)
    page.goto(f"/c/teststad/time/qr/?places={room.pk}&activities={meals.pk}")
    assert_accessible(page)
    assert page.locator("ul.qr-sheet svg").count() == 1
    page.goto("/c/teststad/time/partners/")
    assert_accessible(page)
    page.goto("/c/teststad/time/log/")
    assert_accessible(page)
    page.locator("summary").click()
    assert_accessible(page)


def test_a_share_earned_by_time(page, hood, meals, live_server):
    share_services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="T",
        name="Tijdaandeel",
        nominal_value=euros("10.00"),
        authorised_shares=10,
        hours_per_share=10,
    )
    for _ in range(2):
        contribution = services.log_contribution(
            hood.cooperative, actor=hood.alice, activity=meals, hours="5"
        )
        services.confirm_contribution(contribution, actor=hood.bob)

    page.set_viewport_size(PHONE)
    become(page, hood, "alice", live_server)
    page.goto("/c/teststad/time/")
    assert_accessible(page)
    submit(page, "form[action$='/time/share/']")
    page.wait_for_url("**/shares/subscriptions/*/")
    assert hood.membership("alice").share_subscriptions.get().paid_in_hours == 10
