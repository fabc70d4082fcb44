import datetime

import pytest

from members.models import MembershipStatus, VotingMode
from shares import services
from shares.selectors import group_by_holder, register_lines, share_classes, voting_weight
from shares.tests.conftest import DEED, give_shares

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2026, 1, 10)
MARCH = datetime.date(2026, 3, 1)


def _votes_by_shares(hood, cap=None):
    cooperative = hood.cooperative
    cooperative.voting_mode = VotingMode.BY_SHARES
    cooperative.max_votes_per_member = cap
    return cooperative


def test_the_register_lists_each_holder_with_address_certificates_and_paid_up(hood, a_class):
    alice = hood.alice
    alice.street_address, alice.postcode, alice.city = "Dorpsstraat 1", "1234 AB", "Teststad"
    alice.save()
    give_shares(hood, a_class, "alice", 2, issued_on=JANUARY)
    give_shares(hood, a_class, "erin", 1, issued_on=JANUARY)

    lines = register_lines(hood.cooperative, at=JANUARY)

    assert [
        (line.member_number, line.certificates, str(line.paid_up.amount)) for line in lines
    ] == [
        (hood.membership("alice").member_number, "1–2", "20.00"),
        (hood.membership("erin").member_number, "3", "10.00"),
    ]
    assert lines[0].address == "Dorpsstraat 1, 1234 AB Teststad"
    assert lines[0].acquired_on == JANUARY


def test_the_register_as_of_a_past_date_leaves_out_later_changes(hood, a_class):
    give_shares(hood, a_class, "alice", 3, issued_on=JANUARY)
    services.transfer_shares(
        hood.membership("alice"),
        actor=hood.carol,
        share_class=a_class,
        count=1,
        to_member_number=hood.membership("erin").member_number,
        transferred_on=MARCH,
        **DEED,
    )

    assert register_lines(hood.cooperative, at=JANUARY - datetime.timedelta(days=1)) == []
    assert [line.count for line in register_lines(hood.cooperative, at=JANUARY)] == [3]
    now = group_by_holder(register_lines(hood.cooperative))
    assert [(entry.member_number, entry.count) for entry in now] == [
        (hood.membership("alice").member_number, 2),
        (hood.membership("erin").member_number, 1),
    ]


def test_the_register_takes_the_same_number_of_queries_at_any_size(
    hood, a_class, django_assert_max_num_queries
):
    give_shares(hood, a_class, "alice", 1)
    with django_assert_max_num_queries(1):
        register_lines(hood.cooperative)
    for name in ("bob", "carol", "dave", "erin"):
        give_shares(hood, a_class, name, 2)
    with django_assert_max_num_queries(1):
        register_lines(hood.cooperative)


def test_the_classes_show_what_is_still_available(hood, a_class):
    give_shares(hood, a_class, "alice", 2)
    services.subscribe_to_shares(a_class, actor=hood.erin, count=3)

    (availability,) = share_classes(hood.cooperative)

    assert (availability.issued, availability.reserved, availability.available) == (2, 3, 95)


def test_one_member_one_vote(hood, a_class):
    give_shares(hood, a_class, "alice", 3)

    assert voting_weight(hood.alice, hood.cooperative) == 1
    assert voting_weight(hood.membership("erin"), hood.cooperative) == 1


def test_votes_by_shares_count_the_votes_of_each_class(hood, a_class, b_class):
    cooperative = _votes_by_shares(hood)
    give_shares(hood, a_class, "alice", 3)
    give_shares(hood, b_class, "alice", 4)

    assert voting_weight(hood.alice, cooperative) == 3
    assert voting_weight(hood.erin, cooperative) == 0


def test_votes_by_shares_are_capped_per_member(hood, a_class):
    cooperative = _votes_by_shares(hood, cap=2)
    give_shares(hood, a_class, "alice", 5)

    assert voting_weight(hood.alice, cooperative) == 2


def test_votes_by_shares_as_of_a_past_date(hood, a_class):
    cooperative = _votes_by_shares(hood)
    give_shares(hood, a_class, "alice", 3, issued_on=MARCH)

    assert voting_weight(hood.alice, cooperative, at=JANUARY) == 0
    assert voting_weight(hood.alice, cooperative, at=MARCH) == 3


def test_a_member_who_is_not_active_has_no_vote(hood, a_class):
    membership = hood.membership("alice")
    membership.status = MembershipStatus.SUSPENDED

    assert voting_weight(membership, hood.cooperative) == 0
    assert voting_weight(hood.olivia, hood.cooperative) == 0
