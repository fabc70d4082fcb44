"""Shares in the demo neighbourhood Moerwijk-Oost: an A class (one share per resident, one vote)
(also earned with 40 confirmed hours) and a B class for supporters (no votes); residents who
hold shares, one request still waiting for its payment, one transfer between neighbours and one
request to transfer that waits for the board.

Built through the services only, and idempotent: once the classes are there, nothing is done.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from moneyed import Money

from members.demo import DOMAIN, SLUG
from members.models import Cooperative, Membership, User
from shares import services
from shares.models import ShareClass

HOLDERS = 30  # residents, by member number, who hold an A share
NOTARY = "Mr. A. Koster, notaris te Den Haag"


def _user(email: str) -> User:
    return User.objects.get(email__iexact=email)


def _issue(share_class, membership, count, *, board, treasurer, on_date):
    subscription = services.subscribe_to_shares(
        share_class, actor=None, membership=membership, count=count
    )
    services.record_subscription_payment(subscription, actor=treasurer, paid_on=on_date)
    approver = None if membership.user_id == board.pk else board
    services.approve_subscription(subscription, actor=approver, deed_date=on_date, notary=NOTARY)
    return services.issue_shares(subscription, actor=treasurer, issued_on=on_date)


@transaction.atomic
def _build(cooperative, stdout) -> None:
    board = _user(f"bestuur@{DOMAIN}")
    treasurer = _user(f"penningmeester@{DOMAIN}")
    a_class = services.create_share_class(
        cooperative,
        actor=board,
        code="A",
        name="Bewonersaandeel",
        nominal_value=Money(Decimal("10.00"), cooperative.currency),
        authorised_shares=1000,
        votes_per_share=1,
        max_per_member=1,
        is_transferable=True,
        requires_board_approval=True,
        # The articles let a resident earn their share with 40 confirmed hours for the
        # neighbourhood, so that owning part of it never depends on having ten euros.
        hours_per_share=40,
    )
    b_class = services.create_share_class(
        cooperative,
        actor=board,
        code="B",
        name="Steunaandeel",
        nominal_value=Money(Decimal("50.00"), cooperative.currency),
        authorised_shares=200,
        votes_per_share=0,
        max_per_member=10,
        is_transferable=False,
        requires_board_approval=True,
    )
    residents = list(
        Membership.objects.filter(cooperative=cooperative, is_resident=True).order_by(
            "member_number"
        )
    )
    founded = timezone.localdate() - datetime.timedelta(days=300)
    for index, membership in enumerate(residents[:HOLDERS]):
        _issue(
            a_class,
            membership,
            1,
            board=board,
            treasurer=treasurer,
            on_date=founded + datetime.timedelta(days=index),
        )
    supporter = residents[HOLDERS]
    _issue(b_class, supporter, 4, board=board, treasurer=treasurer, on_date=founded)
    # A resident who moved away passed their share to a neighbour who had none.
    leaving, neighbour = residents[HOLDERS - 1], residents[HOLDERS + 1]
    moved = timezone.localdate() - datetime.timedelta(days=30)
    services.transfer_shares(
        leaving,
        actor=board,
        share_class=a_class,
        count=1,
        to_member_number=neighbour.member_number,
        deed_date=moved,
        notary=NOTARY,
        transferred_on=moved,
    )
    # A resident asked the board to pass their share on to a neighbour.
    asking, receiver = residents[1], residents[HOLDERS + 2]
    services.ask_to_transfer_shares(
        a_class,
        actor=asking.user,
        count=1,
        to_member_number=receiver.member_number,
        note="Mijn buurvrouw neemt mijn plek in de buurtkamer over.",
    )
    # The demo resident asked for supporter shares and has yet to pay.
    resident = Membership.objects.get(cooperative=cooperative, user=_user(f"bewoner@{DOMAIN}"))
    services.subscribe_to_shares(b_class, actor=resident.user, count=2)
    stdout.write(
        f"  {cooperative.name}: {HOLDERS + 1} shareholders, 1 request waiting, 1 transfer, 1 transfer asked for"
    )


def build(stdout) -> None:
    cooperative = Cooperative.objects.filter(slug=SLUG).first()
    if cooperative is None:
        return
    if ShareClass.objects.filter(cooperative=cooperative).exists():
        stdout.write(f"  {SLUG} already has its shares")
        return
    _build(cooperative, stdout)
