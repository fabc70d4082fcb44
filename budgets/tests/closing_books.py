"""Books to reconcile, made with the real services: a statement of the cooperative's bank
account imported, some lines booked (a share subscription matched, a rent booked to income),
one line left open, the opening balance booked, and a payment booked that is not in the bank."""

import datetime

from budgets import services
from budgets.models import BankLine
from budgets.tests.bank_lines import bank_account, other, pays, subscription
from budgets.tests.statement_files import DAY, camt, line, statement
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.services import post_transaction
from wijkbv.ledger.testing import account, euros

OPENED = DAY - datetime.timedelta(days=1)


def post(hood, day, amount, debit_code, credit_code, description):
    return post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=day,
        description=description,
        lines=[
            debit(account(hood.cooperative, debit_code), euros(amount)),
            credit(account(hood.cooperative, credit_code), euros(amount)),
        ],
    )


def books(hood):
    """The bank: 100.00 to start, +20.00 shares, -35.00 rent paid, +50.00 gift = 135.00.
    The books: 100.00 opening, +20.00 shares, +50.00 gift, -12.50 paid but not in the bank =
    157.50. The difference, 22.50, is -35.00 not booked and -12.50 not in the bank."""
    bank = bank_account(hood)
    shares = subscription(hood)
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(
            statement(
                1,
                "100.00",
                [
                    pays(shares),
                    line("-35.00", name="Verhuurder", remittance="Huur maart"),
                    other("50.00"),
                ],
                opens=OPENED,
                closes=DAY,
            )
        ),
        file_name="maart.xml",
    )
    post(hood, OPENED, "100.00", "1000", "3100", "Beginbalans")
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    gift = BankLine.objects.get(amount=50)
    services.book_bank_line(gift, actor=hood.dave, account=account(hood.cooperative, "8000"))
    post(hood, DAY, "12.50", "4200", "1000", "Betaalopdracht drukwerk")
    bank.refresh_from_db()
    return bank
