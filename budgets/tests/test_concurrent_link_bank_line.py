"""Lines linked to one booking at once, on the real PostgreSQL server: the booking's row lock
makes each see the link made before it, so a booking gets one bank line."""

from collections import Counter

import pytest

from budgets import services
from budgets.models import BankLine, BankLineStatus
from budgets.tests.payment_lines import import_lines, recorded_return, returned
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 6


def test_many_lines_linked_to_one_booking_at_once_give_it_one_line(hood, project_budget):
    owed, booking = recorded_return(hood, project_budget)
    lines = import_lines(
        hood, *[returned(owed, remittance=f"Terug {number}") for number in range(RACERS)]
    )

    refused, failures = race(
        lambda number: services.link_bank_line(lines[number], actor=hood.dave, booking=booking),
        RACERS,
    )

    assert failures == []
    assert refused == Counter({"already_linked": RACERS - 1})
    assert BankLine.objects.filter(booked_transaction=booking).count() == 1
    assert BankLine.objects.filter(status=BankLineStatus.BOOKED).count() == 1
    assert AuditEvent.objects.filter(action="bank.line_linked").count() == 1
    assert verify_chain(hood.cooperative).broken is None
