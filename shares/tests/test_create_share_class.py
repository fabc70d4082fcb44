import pytest

from shares import services
from shares.models import ShareClass
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db


def _create(hood, actor, **changes):
    values = {
        "code": "a",
        "name": "Resident shares",
        "nominal_value": euros("10.00"),
        "authorised_shares": 200,
        "max_per_member": 1,
    } | changes
    return services.create_share_class(hood.cooperative, actor=actor, **values)


def test_it_records_the_class_and_its_event(hood):
    with captures_events(hood.cooperative) as events:
        share_class = _create(hood, hood.carol)

    assert share_class.code == "A"
    assert share_class.authorised_capital == euros("2000.00")
    assert_audit_event(
        events,
        action="shares.class_created",
        actor=hood.carol,
        subject=share_class,
        payload={
            "code": "A",
            "name": "Resident shares",
            "nominal_value": "10.00",
            "currency": "EUR",
            "authorised_shares": 200,
            "votes_per_share": 1,
            "max_per_member": 1,
            "is_transferable": True,
            "requires_board_approval": True,
            "hours_per_share": None,
        },
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": ""}, "short code"),
        ({"name": " "}, "Fill in a name"),
        ({"nominal_value": euros("0")}, "more than zero"),
        ({"nominal_value": euros("0.001")}, "euros and cents"),
        ({"authorised_shares": 0}, "whole number"),
        ({"votes_per_share": -1}, "votes per share"),
    ],
)
def test_it_refuses_bad_input(hood, changes, message):
    with pytest.raises(DomainError, match=message):
        _create(hood, hood.carol, **changes)

    assert not ShareClass.objects.exists()


def test_it_refuses_a_second_class_with_the_same_code(hood):
    _create(hood, hood.carol)

    with pytest.raises(DomainError, match="already a class"):
        _create(hood, hood.carol, code="A")


def test_only_the_board_creates_a_class(hood):
    with pytest.raises(NotAllowed):
        _create(hood, hood.dave)

    assert not ShareClass.objects.exists()
