import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from budgets import services
from budgets.models import Agreement, Vote
from budgets.reminders import send_agreement_reminders
from members import services as member_services
from members.models import MembershipStatus, PartnerOrganisation, User

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def adopted(hood):
    """An adopted proposal, decided by a yes/no vote that has closed."""
    stream = services.add_funding_stream(
        hood.cooperative,
        actor=hood.carol,
        funder=PartnerOrganisation.objects.get(cooperative=hood.cooperative),
        name="Wijkbudget",
        committed="5000",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    services.record_stream_receipt(stream, actor=hood.dave, amount="5000")
    proposal = services.submit_proposal(
        hood.cooperative,
        actor=hood.alice,
        title="Bankjes in het park",
        description="Drie bankjes bij de speeltuin.",
        amount="1200",
        theme="green",
        stream=stream,
    )
    services.check_proposal(proposal, actor=hood.carol, eligible=True)
    now = timezone.now()
    vote = services.open_vote(
        hood.cooperative,
        actor=hood.carol,
        title="Bankjes in het park?",
        kind="yes_no",
        electorate="members",
        weighting="per_member",
        proposals=[proposal],
        threshold="simple",
        stream=stream,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(hours=1),
    )
    services.cast_ballot(vote, actor=hood.alice, choice="yes")
    Vote.objects.filter(pk=vote.pk).update(
        opens_at=now - datetime.timedelta(hours=2), closes_at=now - datetime.timedelta(seconds=1)
    )
    services.close_vote(vote, actor=hood.carol)
    proposal.refresh_from_db()
    assert proposal.status == "adopted"
    return proposal


def agree(hood, proposal, *, who="alice", days=3, what="Bankjes bestellen"):
    return services.add_agreement(
        proposal,
        actor=hood.carol,
        what=what,
        responsible=hood.membership(who),
        due_on=TODAY() + datetime.timedelta(days=days),
    )


def test_it_reminds_the_person_responsible_of_an_agreement_due_this_week(hood, adopted):
    agreement = agree(hood, adopted, days=3)

    assert send_agreement_reminders() == 1

    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "Bankjes bestellen" in message.subject
    assert "Bankjes in het park" in message.body
    agreement.refresh_from_db()
    assert agreement.reminded_on == TODAY()


def test_it_writes_in_the_language_the_person_chose(hood, adopted):
    agreement = agree(hood, adopted)
    User.objects.filter(pk=hood.alice.pk).update(preferred_language="nl")
    agree(hood, adopted, who="bob", what="Plek kiezen met de tuingroep")
    User.objects.filter(pk=hood.bob.pk).update(preferred_language="en")

    send_agreement_reminders()

    by_person = {message.to[0]: message for message in mail.outbox}
    with translation.override("nl"):
        dutch_date = date_format(agreement.due_on, "DATE_FORMAT")
    with translation.override("en"):
        english_date = date_format(agreement.due_on, "DATE_FORMAT")
    assert dutch_date != english_date
    assert dutch_date in by_person["alice@example.org"].body
    assert english_date in by_person["bob@example.org"].body
    assert by_person["alice@example.org"].subject.startswith("Herinnering:")
    assert by_person["bob@example.org"].subject.startswith("Reminder:")


def test_running_it_again_sends_nothing(hood, adopted):
    agree(hood, adopted)
    send_agreement_reminders()

    assert send_agreement_reminders() == 0
    assert send_agreement_reminders(today=TODAY() + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_it_waits_until_the_agreement_is_due_within_the_days_before(hood, adopted):
    agreement = agree(hood, adopted, days=20)

    assert send_agreement_reminders() == 0
    assert send_agreement_reminders(days_before=20) == 1
    agreement.refresh_from_db()
    assert agreement.reminded_on == TODAY()


def test_it_reminds_an_overdue_agreement_once(hood, adopted):
    agreement = agree(hood, adopted, days=1)
    User.objects.filter(pk=hood.alice.pk).update(preferred_language="en")
    later = TODAY() + datetime.timedelta(days=5)

    assert send_agreement_reminders(today=later, days_before=0) == 1

    assert "passed" in mail.outbox[0].body
    agreement.refresh_from_db()
    assert agreement.reminded_on == later


def test_it_skips_done_agreements(hood, adopted):
    agreement = agree(hood, adopted)
    services.complete_agreement(agreement, actor=hood.alice)

    assert send_agreement_reminders() == 0
    assert mail.outbox == []
    agreement.refresh_from_db()
    assert agreement.reminded_on is None


def test_it_skips_people_whose_membership_has_ended(hood, adopted):
    agreement = agree(hood, adopted)
    member_services.set_membership_status(
        hood.membership("alice"), actor=hood.carol, status=MembershipStatus.ENDED, reason="Verhuisd"
    )

    assert send_agreement_reminders() == 0
    assert mail.outbox == []
    agreement.refresh_from_db()
    assert agreement.reminded_on is None


def test_it_skips_people_without_an_email_address(hood, adopted):
    membership = member_services.register_resident(
        hood.cooperative, actor=hood.bob, full_name="Zonder Mail", email=None
    )
    agreement = services.add_agreement(
        adopted,
        actor=hood.carol,
        what="Sleutel ophalen",
        responsible=membership,
        due_on=TODAY() + datetime.timedelta(days=2),
    )

    assert send_agreement_reminders() == 0
    agreement.refresh_from_db()
    assert agreement.reminded_on is None


def test_a_refused_mail_is_tried_again_on_the_next_run(hood, adopted, monkeypatch):
    agreement = agree(hood, adopted)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"alice@example.org": (550, b"no")})

    monkeypatch.setattr("budgets.reminders.send_mail", refuse)
    assert send_agreement_reminders() == 0
    agreement.refresh_from_db()
    assert agreement.reminded_on is None

    monkeypatch.undo()
    assert send_agreement_reminders() == 1


def test_the_command_reports_how_many_it_sent(hood, adopted):
    agree(hood, adopted)
    out = io.StringIO()

    call_command("send_agreement_reminders", stdout=out)
    call_command("send_agreement_reminders", stdout=out)

    assert out.getvalue().splitlines() == ["1 reminder(s) sent.", "0 reminder(s) sent."]
    assert Agreement.objects.filter(reminded_on=TODAY()).count() == 1
