"""The standard chart of accounts every new cooperative starts with.

Accounts for each funding stream and each project are opened later, next to these, by the
decisions that create them (`open_account`).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wijkbv.ledger.models import Account, AccountType, Balance, Purpose

STANDARD_CHART = [
    ("1000", _("Bank account"), AccountType.ASSET, Purpose.BANK),
    ("1100", _("Stripe balance"), AccountType.ASSET, Purpose.STRIPE),
    ("1200", _("Money in transit"), AccountType.ASSET, Purpose.IN_TRANSIT),
    ("1300", _("Advances to residents"), AccountType.ASSET, Purpose.ADVANCES),
    ("2000", _("Funding-stream funds"), AccountType.LIABILITY, Purpose.FUNDING_STREAM),
    ("2100", _("Project budgets"), AccountType.LIABILITY, Purpose.PROJECT_BUDGET),
    ("3000", _("Share capital"), AccountType.EQUITY, Purpose.SHARE_CAPITAL),
    ("3100", _("Reinvestment reserve"), AccountType.EQUITY, Purpose.REINVESTMENT_RESERVE),
    ("4000", _("Project costs"), AccountType.EXPENSE, Purpose.GENERAL),
    ("4100", _("Bank and payment costs"), AccountType.EXPENSE, Purpose.GENERAL),
    ("4200", _("General costs"), AccountType.EXPENSE, Purpose.GENERAL),
    # Hours a member gave that paid up a share in kind (inbreng in natura), at nominal value.
    ("4300", _("Work paid in as shares"), AccountType.EXPENSE, Purpose.WORK_IN_KIND),
    ("8000", _("Contributions and gifts"), AccountType.INCOME, Purpose.GENERAL),
    ("8100", _("Rent of places"), AccountType.INCOME, Purpose.GENERAL),
    ("8200", _("Other income"), AccountType.INCOME, Purpose.GENERAL),
]


def open_standard_accounts(cooperative) -> list[Account]:
    """Open the standard chart, each account with its balance row, in the cooperative's currency.

    Runs inside `create_cooperative`, whose audit event records the founding; the names are in
    the site's language, as the cooperative's own books are."""
    with translation.override(settings.LANGUAGE_CODE):
        accounts = Account.objects.bulk_create(
            [
                Account(
                    cooperative=cooperative,
                    code=code,
                    name=str(name),
                    type=account_type,
                    purpose=purpose,
                    currency=cooperative.currency,
                )
                for code, name, account_type, purpose in STANDARD_CHART
            ]
        )
    Balance.objects.bulk_create([Balance(account=account) for account in accounts])
    return accounts
