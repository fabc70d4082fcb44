import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from members import services
from members.models import Invitation, Membership, RetainedIdentity, Role, User
from reciprocity.models import Activity, Beneficiary, Contribution, ThanksListing
from shares import services as shares
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.checking import find_problems
from wijkbv.ledger.testing import euros, ledger_rows

pytestmark = pytest.mark.django_db

IDENTITY = ("Alice", "alice@example.org", "0612345678", "Dorpsstraat 1", "1234 AB", "Teststad")


def _give_alice_an_address(hood):
    services.update_profile(
        hood.alice,
        actor=hood.alice,
        full_name="Alice de Boer",
        email="alice@example.org",
        preferred_language="nl",
        phone="0612345678",
        street_address="Dorpsstraat 1",
        postcode="1234 AB",
        city="Teststad",
    )


def _a_class(hood):
    return shares.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=100,
        votes_per_share=1,
        is_transferable=True,
    )


def _shares_for_alice(hood, share_class, *, issued_on, name="alice"):
    subscription = shares.subscribe_to_shares(share_class, actor=hood.people[name], count=2)
    shares.record_subscription_payment(subscription, actor=hood.dave, paid_on=issued_on)
    shares.approve_subscription(
        subscription, actor=hood.carol, deed_date=issued_on, notary="Mr. J. de Notaris"
    )
    return shares.issue_shares(subscription, actor=hood.dave, issued_on=issued_on)


def _identity_rows(user):
    """Every value of the person's identity still anywhere in the account and its history."""
    rows = [user, *user.history.all()]
    return [
        value
        for row in rows
        for value in (row.full_name, row.email, row.phone, row.street_address, row.city)
        if value and any(part in value for part in IDENTITY)
    ]


def test_a_resident_who_asks_to_be_forgotten_is_erased_everywhere(hood):
    _give_alice_an_address(hood)
    alice = hood.alice
    Token.objects.create(user=alice)
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client = hood.client_for("alice")
    number = hood.membership("alice").member_number

    with captures_events(hood.cooperative) as events:
        services.forget_member(alice, actor=alice)

    alice.refresh_from_db()
    assert alice.full_name == f"Oud-lid {number}"
    assert alice.email is None
    assert (alice.phone, alice.street_address, alice.postcode, alice.city) == ("", "", "", "")
    assert not alice.has_usable_password()
    assert not alice.is_active
    assert _identity_rows(alice) == []
    assert not Token.objects.filter(user=alice).exists()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert client.get("/account/profile/").status_code == 302
    assert hood.membership("alice").status == "ended"
    assert not RetainedIdentity.objects.exists()  # alice has no financial records
    assert_audit_event(
        events,
        action="member.forgotten",
        actor=alice,
        subject=hood.membership("alice"),
        payload={"member_number": number, "identity_kept_until": None},
    )


def test_invitations_to_the_address_lose_it(hood):
    services.invite_member(hood.other, actor=hood.olivia, email="alice@example.org")

    services.forget_member(hood.alice, actor=hood.alice)

    assert not Invitation.objects.filter(email__icontains="alice").exists()
    assert not Invitation.history.filter(email__icontains="alice").exists()


def test_a_person_with_financial_records_leaves_their_identity_for_seven_years(hood):
    _give_alice_an_address(hood)
    share_class = _a_class(hood)
    _shares_for_alice(hood, share_class, issued_on=datetime.date(2026, 2, 1))
    shares.gift_shares_back(
        hood.membership("alice"),
        actor=hood.carol,
        share_class=share_class,
        count=2,
        given_on=datetime.date(2026, 3, 1),
    )

    services.forget_member(hood.alice, actor=hood.alice, today=datetime.date(2026, 4, 1))

    retained = RetainedIdentity.objects.get()
    assert retained.cooperative == hood.cooperative
    assert retained.member_number == hood.membership("alice").member_number
    assert retained.full_name == "Alice de Boer"
    assert retained.address == "Dorpsstraat 1, 1234 AB Teststad"
    assert retained.last_financial_record_on == datetime.date(2026, 3, 1)
    assert retained.forgotten_on == datetime.date(2026, 4, 1)
    assert retained.retain_until == datetime.date(2033, 12, 31)
    event = AuditEvent.objects.filter(action="member.forgotten").get()
    assert event.payload["identity_kept_until"] == "2033-12-31"


def test_the_audit_chain_and_the_ledger_still_verify_after_forgetting(hood):
    share_class = _a_class(hood)
    _shares_for_alice(hood, share_class, issued_on=datetime.date(2026, 2, 1))
    shares.redeem_shares(
        hood.membership("alice"),
        actor=hood.dave,
        share_class=share_class,
        count=2,
        paid_on=datetime.date(2026, 3, 1),
    )
    books = ledger_rows(hood.cooperative)

    services.forget_member(hood.alice, actor=hood.alice)

    assert ledger_rows(hood.cooperative) == books
    assert verify_chain(hood.cooperative).broken is None
    assert find_problems(hood.cooperative).problems == []
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    call_command("ledger", "check", stdout=out)
    assert "teststad: intact" in out.getvalue()
    assert "teststad: in order" in out.getvalue()


def test_it_is_refused_while_the_person_holds_shares(hood):
    share_class = _a_class(hood)
    _shares_for_alice(hood, share_class, issued_on=datetime.date(2026, 2, 1))

    with (
        captures_events(hood.cooperative) as events,
        pytest.raises(DomainError, match="You still hold 2 share"),
    ):
        services.forget_member(hood.alice, actor=hood.alice)

    assert events == []
    assert User.objects.get(pk=hood.alice.pk).full_name == "Alice Test"
    assert hood.membership("alice").status == "active"
    assert not RetainedIdentity.objects.exists()


def test_it_is_refused_while_a_request_for_shares_is_open(hood):
    share_class = _a_class(hood)
    shares.subscribe_to_shares(share_class, actor=hood.alice, count=1)

    with (
        captures_events(hood.cooperative) as events,
        pytest.raises(DomainError, match="request for shares .* is still open"),
    ):
        services.forget_member(hood.alice, actor=hood.alice)

    assert events == []
    assert User.objects.get(pk=hood.alice.pk).email == "alice@example.org"


def test_a_board_member_forgets_a_resident_without_email(hood):
    membership = services.register_resident(hood.cooperative, actor=hood.bob, full_name="Henk Bos")

    with captures_events(hood.cooperative) as events:
        services.forget_member(membership.user, actor=hood.carol, reason="asked at the desk")

    user = User.objects.get(pk=membership.user_id)
    assert user.full_name == f"Oud-lid {membership.member_number}"
    assert not user.history.filter(full_name="Henk Bos").exists()
    assert_audit_event(
        events,
        action="member.forgotten",
        actor=hood.carol,
        on_behalf_of=user,
        subject=membership,
        payload={"member_number": membership.member_number, "identity_kept_until": None},
    )


@pytest.mark.parametrize("name", ["bob", "dave", "olivia"])
def test_nobody_but_the_board_may_forget_someone_else(hood, name):
    with captures_events(hood.cooperative) as events, pytest.raises(NotAllowed):
        services.forget_member(hood.alice, actor=hood.people[name])

    assert events == []
    alice = User.objects.get(pk=hood.alice.pk)
    assert (alice.full_name, alice.is_active) == ("Alice Test", True)


def test_a_resident_may_not_forget_someone_else(hood):
    with pytest.raises(NotAllowed, match="Only board member may do this"):
        services.forget_member(hood.bob, actor=hood.alice)

    assert User.objects.get(pk=hood.bob.pk).email == "bob@example.org"


def test_the_only_board_member_of_a_cooperative_must_hand_the_role_on_first(hood):
    with (
        captures_events(hood.other) as events,
        pytest.raises(DomainError, match="only board member of Buurt-BV Elders"),
    ):
        services.forget_member(hood.olivia, actor=hood.olivia)

    assert events == []
    assert User.objects.get(pk=hood.olivia.pk).full_name == "Olivia Test"


def test_forgetting_someone_twice_is_refused(hood):
    services.forget_member(hood.alice, actor=hood.alice)

    with pytest.raises(DomainError, match="already been forgotten"):
        services.forget_member(User.objects.get(pk=hood.alice.pk), actor=hood.carol)


def test_a_member_of_two_cooperatives_leaves_one_event_in_each(hood):
    services.add_member(hood.other, actor=hood.olivia, user=hood.alice, roles=[Role.RESIDENT])

    with (
        captures_events(hood.cooperative) as here,
        captures_events(hood.other) as there,
    ):
        services.forget_member(hood.alice, actor=hood.alice)

    assert_audit_event(here, action="member.forgotten", actor=hood.alice)
    assert_audit_event(there, action="member.forgotten", actor=hood.alice)
    assert verify_chain(hood.cooperative).broken is None
    assert verify_chain(hood.other).broken is None
    alice = User.objects.get(pk=hood.alice.pk)
    assert alice.full_name == "Oud-lid teststad 1, elders 2"
    assert set(Membership.objects.filter(user=alice).values_list("status", flat=True)) == {"ended"}


def test_contributions_lose_their_free_text_and_the_thank_you_wall_its_name(hood):
    activity = Activity.objects.create(cooperative=hood.cooperative, name="Shared meals")
    given = Contribution.objects.create(
        cooperative=hood.cooperative,
        contributor=hood.membership("alice"),
        hours=Decimal("2.00"),
        activity=activity,
        beneficiary=Beneficiary.MEMBER,
        beneficiary_member=hood.membership("bob"),
        note="Cooked for Bob, Alice's lasagne",
        logged_by=hood.alice,
    )
    ThanksListing.objects.create(membership=hood.membership("alice"), display_name="Alice")

    services.forget_member(hood.alice, actor=hood.alice)

    given.refresh_from_db()
    assert (given.note, given.hours) == ("", Decimal("2.00"))
    assert not given.history.exclude(note="").exists()
    assert not ThanksListing.objects.exists()
    assert not ThanksListing.history.filter(display_name="Alice").exists()


def test_a_request_to_transfer_shares_to_the_person_waits_and_then_loses_its_words(hood):
    share_class = _a_class(hood)
    _shares_for_alice(hood, share_class, issued_on=datetime.date(2026, 2, 1), name="bob")
    request = shares.ask_to_transfer_shares(
        share_class, actor=hood.bob, count=1, to_member_number=1, note="For Alice, next door"
    )

    with pytest.raises(DomainError, match="request to transfer shares .* is still open"):
        services.forget_member(hood.alice, actor=hood.alice)

    shares.refuse_transfer_request(request, actor=hood.carol, reason="Alice did not agree")
    services.forget_member(hood.alice, actor=hood.alice)

    request.refresh_from_db()
    assert (request.note, request.reason, request.status) == ("", "", "refused")
    assert not request.history.exclude(note="", reason="").exists()
