"""CSV imports racing on the real PostgreSQL server: the same CSV file sent at once by several
treasurers' browsers is imported once, and overlapping CSV files sent at once store each line
once."""

from collections import Counter

import pytest

from budgets import services
from budgets.models import BankLine, StatementImport
from budgets.tests.statement_files import IBAN
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8
COLUMNS = {"booking_date": "Datum", "amount": "Bedrag", "remittance": ["Omschrijving"]}


def _csv(day_from: int, days: int) -> bytes:
    lines = [f"{day:02d}-03-2026;1,00;Regel {day}\n" for day in range(day_from, day_from + days)]
    return ("Datum;Bedrag;Omschrijving\n" + "".join(lines)).encode()


@pytest.fixture
def account(hood):
    account = services.add_bank_account(hood.cooperative, actor=hood.dave, iban=IBAN, name="Betaal")
    return services.save_csv_mapping(account, actor=hood.dave, mapping=COLUMNS)


def test_the_same_csv_file_imported_at_once_is_imported_once(hood, account):
    data = _csv(1, 20)
    refused, failures = race(
        lambda n: services.import_statement(
            hood.cooperative,
            actor=hood.dave,
            data=data,
            file_name=f"{n}.csv",
            bank_account=account,
            closing_balance="120.00",
        ),
        RACERS,
    )
    assert failures == []
    assert refused == Counter({"already_imported": RACERS - 1})
    assert (StatementImport.objects.count(), BankLine.objects.count()) == (1, 20)
    assert AuditEvent.objects.filter(action="bank.statement_imported").count() == 1
    assert verify_chain(hood.cooperative).broken is None


def test_overlapping_csv_files_at_once_store_each_line_once(hood, account):
    # File n holds days 1 to 10 + n of March, one euro a day, from the same opening balance.
    refused, failures = race(
        lambda n: services.import_statement(
            hood.cooperative,
            actor=hood.dave,
            data=_csv(1, 10 + n),
            file_name=f"{n}.csv",
            bank_account=account,
            closing_balance=f"{110 + n}.00",
        ),
        RACERS,
    )
    assert failures == []
    assert refused == Counter()
    assert StatementImport.objects.count() == RACERS
    assert BankLine.objects.count() == 10 + RACERS - 1
    assert BankLine.objects.values("fingerprint").distinct().count() == BankLine.objects.count()
    assert verify_chain(hood.cooperative).broken is None
