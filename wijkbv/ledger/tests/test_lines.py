import pytest

from wijkbv.errors import DomainError
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.testing import euros

ACCOUNT = object()


def test_a_debit_is_positive_and_a_credit_negative():
    assert debit(ACCOUNT, euros(5)) == (ACCOUNT, euros(5))
    assert credit(ACCOUNT, euros(5)) == (ACCOUNT, euros(-5))


@pytest.mark.parametrize("amount", [0, -1, "-0.01"])
def test_they_refuse_an_amount_that_is_not_more_than_zero(amount):
    with pytest.raises(DomainError, match="An amount must be more than zero"):
        credit(ACCOUNT, euros(amount))


def test_they_refuse_a_plain_number():
    with pytest.raises(TypeError):
        debit(ACCOUNT, 5)
