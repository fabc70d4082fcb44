"""The helpers for statements about many rows at once."""

import datetime
import enum
from decimal import Decimal

import pytest
from django.db.models import F

from members.models import Membership
from wijkbv.audit.appending import check_payload
from wijkbv.audit.statements import AnyOf, array_literal


def test_an_array_literal_quotes_text_and_writes_numbers_dates_and_nothing():
    values = ['a "quoted" \\ text', 12, Decimal("1.50"), None, True, datetime.date(2026, 1, 2)]
    assert array_literal(values) == '{"a \\"quoted\\" \\\\ text",12,1.50,NULL,t,2026-01-02}'


@pytest.mark.django_db
def test_any_of_finds_the_same_rows_as_in(hood):
    memberships = list(Membership.objects.filter(cooperative=hood.cooperative).order_by("pk"))
    wanted = [each.pk for each in memberships[::2]] + [10**12]
    found = Membership.objects.filter(AnyOf(F("pk"), wanted)).order_by("pk")
    assert list(found) == list(Membership.objects.filter(pk__in=wanted).order_by("pk"))
    assert [each.pk for each in found] == [each.pk for each in memberships[::2]]
    assert not Membership.objects.filter(AnyOf(F("pk"), [10**12])).exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"amount": Decimal("1.00")}, "payload.amount is a Decimal"),
        ({"lines": [["1000", 1.5]]}, r"payload.lines\[0\]\[1\] is a float"),
        ({"nested": {"on": datetime.date(2026, 1, 1)}}, "payload.nested.on is a date"),
        ({"who": {"email": "a@example.org"}}, "payload.who.email: personal details"),
        ({"lines": [["1000", "1.00"], {"iban": "NL91"}]}, r"payload.lines\[1\].iban: personal"),
        ({"by": {3: "x"}}, "payload.by: keys must be strings, not 3"),
        ([("a", {"b": object()})], r"payload\[0\]\[1\].b is a object"),
    ],
)
def test_a_payload_is_checked_all_the_way_down_with_the_path_of_what_is_wrong(payload, message):
    with pytest.raises((TypeError, ValueError), match=message):
        check_payload(payload)


def test_a_payload_of_plain_values_passes():
    check_payload({"a": 1, "b": "x", "c": None, "d": True, "e": [1, "2", [None]], "f": {"g": 3}})


def test_a_payload_of_subclasses_of_plain_values_passes():
    class Kind(enum.StrEnum):
        BANK = "bank"

    class Count(enum.IntEnum):
        TWO = 2

    check_payload({Kind.BANK: Kind.BANK, "count": Count.TWO, "lines": (Kind.BANK, [Count.TWO])})
