"""Imports racing on the real PostgreSQL server: the bank account's row lock makes each import
see what the one before it stored, so a file is imported once and a line is stored once."""

from collections import Counter

import pytest

from budgets import services
from budgets.models import BankLine, BankStatement, StatementImport
from budgets.tests.statement_files import IBAN, camt, line, statement
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8


@pytest.fixture
def account(hood):
    return services.add_bank_account(hood.cooperative, actor=hood.dave, iban=IBAN, name="Betaal")


def test_the_same_file_imported_at_once_is_imported_once(hood, account):
    data = camt(statement(1, "100", [line("1", reference=f"R-{n}") for n in range(50)]))
    refused, failures = race(
        lambda n: services.import_statement(
            hood.cooperative, actor=hood.dave, data=data, file_name=f"{n}.xml"
        ),
        RACERS,
    )
    assert failures == []
    assert refused == Counter({"already_imported": RACERS - 1})
    assert StatementImport.objects.count() == 1
    assert BankLine.objects.count() == 50
    assert AuditEvent.objects.filter(action="bank.statement_imported").count() == 1
    assert verify_chain(hood.cooperative).broken is None


def test_overlapping_files_at_once_store_each_line_once(hood, account):
    lines = [line("1", reference=f"R-{n}") for n in range(40)]
    files = [camt(statement(1, "100", lines[: 20 + n * 2])) for n in range(RACERS)]
    refused, failures = race(
        lambda n: services.import_statement(
            hood.cooperative, actor=hood.dave, data=files[n], file_name=f"{n}.xml"
        ),
        RACERS,
    )
    assert failures == []
    assert refused == Counter()
    assert StatementImport.objects.count() == RACERS
    assert BankLine.objects.count() == 20 + (RACERS - 1) * 2
    assert BankLine.objects.values("fingerprint").distinct().count() == BankLine.objects.count()
    assert BankStatement.objects.exists()
