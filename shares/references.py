"""Payment references for share subscriptions: ISO 11649 creditor references.

"RF", two check digits, then "SH" and the subscription's number: a bank import can check a
reference it reads from a statement and find the subscription it pays for, and a typing mistake
fails the check (docs/decisions/0010-payment-reference.md).
"""

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

PREFIX = "SH"


def payment_reference_for(subscription) -> str:
    body = f"{PREFIX}{subscription.pk:08d}"
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def subscription_number(reference: str) -> int | None:
    """The subscription a reference names, or None when it is not a valid one of ours."""
    compact = iso11649.compact(reference or "")
    if not iso11649.is_valid(compact) or not compact[4:].startswith(PREFIX):
        return None
    digits = compact[4 + len(PREFIX) :]
    return int(digits) if digits.isdigit() else None


def printed(reference: str) -> str:
    """In groups of four, as a bank's form shows it."""
    return iso11649.format(reference) if reference else ""
