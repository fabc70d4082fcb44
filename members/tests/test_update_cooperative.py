from decimal import Decimal

import pytest

from members import services
from members.models import Cooperative
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _values(**overrides):
    values = dict(
        name="Wijk-BV Teststad",
        kvk_number="12345678",
        area_postcodes="1234, 1235 AB",
        voting_mode="by_shares",
        max_shares_per_member=10,
        max_votes_per_member=None,
        social_value_hourly_rate=Decimal("15.00"),
        reinvestment_rule="Half to the reserve",
    )
    return values | overrides


def test_the_board_changes_the_articles_and_every_change_is_recorded(hood):
    with captures_events(hood.cooperative) as events:
        coop = services.update_cooperative(hood.cooperative, actor=hood.carol, **_values())
    coop.refresh_from_db()
    assert coop.area_postcodes == ["1234", "1235 AB"]
    assert coop.voting_mode == "by_shares"
    assert_audit_event(
        events,
        action="cooperative.updated",
        actor=hood.carol,
        subject=coop,
        payload={
            "changed": {
                "area_postcodes": [["1234"], ["1234", "1235 AB"]],
                "voting_mode": ["per_member", "by_shares"],
                "max_shares_per_member": [None, 10],
                "social_value_hourly_rate": ["0.00 EUR", "15.00 EUR"],
                "reinvestment_rule": ["", "Half to the reserve"],
            }
        },
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kvk_number": "1234"}, "kvk_number", "exactly 8 digits"),
        ({"area_postcodes": "1234, 0999"}, "area_postcodes", "not a Dutch postcode"),
        ({"name": " "}, "name", "Fill in a name"),
        ({"voting_mode": "loudest"}, "voting_mode", "how members vote"),
        ({"max_shares_per_member": 0}, "max_shares_per_member", "1 or more"),
        ({"social_value_hourly_rate": Decimal("-1")}, "social_value_hourly_rate", "0 or more"),
        (
            {"social_value_hourly_rate": Decimal("1.005")},
            "social_value_hourly_rate",
            "euros and cents",
        ),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(hood, overrides, field, message):
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match=message) as info:
            services.update_cooperative(hood.cooperative, actor=hood.carol, **_values(**overrides))
    assert info.value.field == field
    assert Cooperative.objects.get(pk=hood.cooperative.pk).voting_mode == "per_member"
    assert events == []


def test_it_says_when_nothing_changed(hood):
    services.update_cooperative(hood.cooperative, actor=hood.carol, **_values())
    with pytest.raises(DomainError, match="Nothing was changed"):
        services.update_cooperative(hood.cooperative, actor=hood.carol, **_values())


def test_only_the_board_changes_the_settings(hood):
    with pytest.raises(NotAllowed, match="Only board member"):
        services.update_cooperative(hood.cooperative, actor=hood.dave, **_values())
    assert Cooperative.objects.get(pk=hood.cooperative.pk).voting_mode == "per_member"
