"""Bank lines for the matching and booking tests: the cooperative's bank account, a share
subscription awaiting payment, and a statement whose lines pay it or pay nothing we know."""

from budgets import services
from budgets.models import BankLine
from budgets.tests.statement_files import IBAN, camt, line, statement
from shares import services as share_services
from shares.models import Subscription
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import Posting, Transaction
from wijkbv.ledger.testing import euros


def bank_account(hood):
    return services.add_bank_account(hood.cooperative, actor=hood.dave, iban=IBAN, name="Betaal")


def subscription(hood):
    """Alice asks for two shares of € 10: € 20 awaiting payment by bank transfer."""
    share_class = share_services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=100,
        votes_per_share=1,
        max_per_member=5,
        is_transferable=True,
    )
    return share_services.subscribe_to_shares(share_class, actor=hood.alice, count=2)


def import_lines(hood, *lines) -> list[BankLine]:
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(statement(1, "100.00", list(lines))),
        file_name="afschrift.xml",
    )
    return list(BankLine.objects.order_by("pk"))


def pays(subscription, amount="20.00"):
    return line(amount, remittance=f"Aandelen {subscription.payment_reference}")


def other(amount):
    return line(amount, remittance="Huur buurtkamer")


def written(hood):
    """Counts that must not change when a booking is refused."""
    return {
        "events": AuditEvent.objects.filter(cooperative=hood.cooperative).count(),
        "transactions": Transaction.objects.filter(cooperative=hood.cooperative).count(),
        "postings": Posting.objects.filter(account__cooperative=hood.cooperative).count(),
        "lines": list(
            BankLine.objects.order_by("pk").values_list(
                "status", "booked_transaction", "suggested_kind", "suggested_key"
            )
        ),
        "subscriptions": list(Subscription.objects.order_by("pk").values_list("status", "paid_on")),
    }


FUNDER_IBAN = "NL39RABO0300065264"


def paying_funder(hood, *, committed="1000"):
    """A stream of the hood's partner organisation, which pays from FUNDER_IBAN."""
    from members.models import PartnerOrganisation

    return services.add_funding_stream(
        hood.cooperative,
        actor=hood.carol,
        funder=PartnerOrganisation.objects.get(cooperative=hood.cooperative),
        name="Buurtfonds",
        committed=committed,
        starts_on="2026-01-01",
        ends_on="2026-12-31",
        payer_iban=FUNDER_IBAN,
    )


def from_funder(amount):
    return line(amount, name="Gemeente", remittance="Subsidie buurtfonds", iban=FUNDER_IBAN)


def fund_balance(stream):
    """What the stream's fund holds: a liability, so its postings are credits."""
    return -sum(stream.account.postings.values_list("amount", flat=True))
