"""What the bank pages' tests share: the cooperative's account and the counts that a refused
request must leave as they were."""

from budgets import services
from budgets.models import BankAccount, BankLine, BankStatement, StatementImport
from budgets.tests.statement_files import IBAN
from wijkbv.audit.models import AuditEvent


def add_account(hood, iban=IBAN, name="Betaalrekening"):
    return services.add_bank_account(hood.cooperative, actor=hood.dave, iban=iban, name=name)


def bank_written(cooperative):
    return {
        "events": AuditEvent.objects.filter(cooperative=cooperative).count(),
        "accounts": BankAccount.objects.filter(cooperative=cooperative).count(),
        "imports": StatementImport.objects.filter(cooperative=cooperative).count(),
        "statements": BankStatement.objects.filter(bank_account__cooperative=cooperative).count(),
        "lines": BankLine.objects.filter(bank_account__cooperative=cooperative).count(),
    }
