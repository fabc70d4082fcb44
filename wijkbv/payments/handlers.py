"""What a payment means to the app it pays for.

Payments does not import the apps that use it (shares, budgets...). Instead each of them
registers, in its own `payments.py` module (found by `PaymentsConfig.ready`), the functions
that act when a payment for one of its subjects has succeeded or has been refunded:

    register("shares.subscription", succeeded=confirm_paid, refunded=refund_paid)

Both are called inside the payment service's transaction, with the locked `Payment` and the
acting user (None for a webhook): `succeeded(payment, *, actor)` and `refunded(payment, *, actor,
reason)`. They must be idempotent, as pretix's payment confirmation is, and raise a DomainError
to refuse (the payment's change is then rolled back with theirs).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectHandlers:
    succeeded: Callable
    refunded: Callable


_registry: dict[str, SubjectHandlers] = {}


def register(subject_label: str, *, succeeded: Callable, refunded: Callable) -> None:
    """Register the handlers for subjects "<subject_label>:<pk>", such as "shares.subscription"."""
    if ":" in subject_label:
        raise ValueError(f"a subject label has no primary key: {subject_label!r}")
    _registry[subject_label] = SubjectHandlers(succeeded=succeeded, refunded=refunded)


def unregister(subject_label: str) -> None:
    _registry.pop(subject_label, None)


def is_registered(subject_label: str) -> bool:
    return subject_label in _registry


def handlers_for(subject: str) -> SubjectHandlers:
    """The handlers for a subject reference such as "shares.subscription:12"."""
    label = subject.partition(":")[0]
    try:
        return _registry[label]
    except KeyError:
        raise LookupError(f"no payment handlers are registered for {label!r}") from None
