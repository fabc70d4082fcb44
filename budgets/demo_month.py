"""The treasurer's month in the demo neighbourhood Moerwijk-Oost: last month's bank statement of
the cooperative's account, written as a CAMT.053 file, imported and matched as the treasurer
does it, with this month's lines so far (the payments of today's batch and an advance returned)
in a second statement of the same file; expenses and advances in every state, with small
pictures of their receipts, and the payment batches that paid them.

A payment batch can only be made for today or later, so the expenses and advances it pays are
paid today; the month's other money (shares paid with their RF reference, a fund's payment, bank
costs, the shared meals, rent, energy) is spread over last month. Matching books what it is sure
of and leaves the rest for the treasurer: the odd amount waits with a suggestion, the meals,
rent, costs and gift wait to be booked to an account.

Everything goes through the services; called by budgets/demo.py once the votes are done, so the
adopted projects have their budgets.
"""

import datetime
import io
from decimal import Decimal

from PIL import Image, ImageDraw
from stdnum.iso7064 import mod_97_10

from budgets import services
from budgets.expenses import selectors as expense_selectors
from budgets.models import Advance, BankAccount, Expense
from budgets.statements.model import Entry, Statement
from budgets.statements.writer import camt053_file
from members.models import Membership
from shares import services as share_services
from shares.models import ShareClass
from wijkbv.ledger.selectors import balance_as_of


def _nl_iban(bank: str, number: int) -> str:
    """A Dutch IBAN with valid check digits: the demo's own account numbers."""
    bban = f"{bank}{number:010d}"
    return f"NL{mod_97_10.calc_check_digits(bban + 'NL')}{bban}"


CURRENCY = "EUR"  # the demo cooperative keeps its books in euros
BANK_ACCOUNT = ("Betaalrekening", _nl_iban("TRIO", 338812345))
# The accounts funders pay from, so that matching books their money for the stream.
PAYERS = {
    "Fonds 1818": _nl_iban("ABNA", 242018180),
    "Gemeente Den Haag": _nl_iban("BNGH", 285000000),
}
FUND_PAYMENT = ("Fonds 1818", "3000.00", "Buurt aan zet, eerste termijn", 3)
SHARE_BUYERS = 10  # residents who asked for a share this month and paid it
TWICE = 5  # the one of them who paid twice
MEALS = (5, 12, 19, 26)  # days into the month of the weekly shared meals paid by transfer
MEAL_PAYERS = 6
# Lines nobody can match automatically: (day, amount, counterparty, IBAN or "", description).
OTHERS = [
    (1, "300.00", "Welzijn Escamp", _nl_iban("RABO", 312456789), "Huur buurtkamer De Moerhof"),
    (8, "-86.40", "Eneco", _nl_iban("INGB", 5120000), "Termijnbedrag energie De Moerhof"),
    (14, "-43.17", "Albert Heijn 1334 Den Haag", "", "Betaalpas, kookploeg dinsdag"),
    (17, "25.00", "L. Verhoeven", _nl_iban("ASNB", 708123456), "Gift voor het buurtfeest"),
    (22, "-32.10", "Centraal Beheer", _nl_iban("INGB", 2244000), "Verzekering inventaris"),
]
BANK_COSTS = ("-9.50", "Kosten betaalrekening")

# (description, amount, days into the month it was spent, shop on the receipt)
CLAIMS = [
    ("Koffie, thee en koekjes voor de inloopochtend", "23.80", 4, "Jumbo Moerwijk"),
    ("Spelmateriaal voor de woensdagmiddag", "38.40", 9, "Intertoys Leyweg"),
    ("Bloemen en aarde voor de geveltuintjes", "57.25", 11, "Tuincentrum Escamp"),
    ("Limonade en fruit voor de speelclub", "18.65", 15, "Lidl Loevesteinlaan"),
    ("Cadeaubonnen voor de vrijwilligers", "60.00", 16, "Bol.com"),
]
INVOICES = [
    ("Drukkerij Moerwijk", _nl_iban("RABO", 155667788), "Flyers buurtfeest", "145.20", 10),
    ("Bouwmarkt Escamp", _nl_iban("INGB", 6677889), "Hout en schroeven bankjes", "212.35", 6),
]
REJECTION = (
    "Cadeaubonnen betaalt het wijkbudget niet: dat staat in de voorwaarden van de gemeente. "
    "Een bedankje kan wel uit de herinvesteringsreserve, als de leden dat willen."
)
# (purpose, amount, spent of it: None while open)
ADVANCES = [
    ("Boodschappen voor het buurtfeest", "150.00", None),
    ("Verf en kwasten voor de schildermiddag", "80.00", "80.00"),
    ("Ingrediënten voor de kookles", "120.00", "96.50"),
]
WAITING_ADVANCE = ("Zaden en potgrond voor de schooltuin", "60.00")
OLD_ADVANCE_DAYS = 38


def bank_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month of bank lines: last month, or, in January, when
    last year is closed, this month up to today."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    if last.year < today.year:
        return today.replace(day=1), today
    return last.replace(day=1), last


def _receipt(shop: str, amount: str, *, pdf: bool = False) -> tuple[bytes, str]:
    """A small picture of a till receipt (or, for an invoice, a one-page PDF of it)."""
    image = Image.new("L", (180, 64), 255)
    ImageDraw.Draw(image).text((8, 8), f"{shop}\nTotaal EUR {amount.replace('.', ',')}", fill=0)
    out = io.BytesIO()
    if pdf:
        image.convert("RGB").save(out, format="PDF")
        return out.getvalue(), "factuur.pdf"
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), "bon.png"


def _resident_iban(membership) -> str:
    return _nl_iban("INGB", 7_000_000 + membership.member_number)


class _Day:
    """Dates in the bank month, `n` days after its first day, never after its last."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first, self.last = first, last

    def __call__(self, n: int) -> datetime.date:
        return min(self.first + datetime.timedelta(days=n), self.last)


def _entry(on, amount, name="", iban="", remittance="", end_to_end="") -> Entry:
    return Entry(
        booking_date=on,
        value_date=on,
        amount=Decimal(amount),
        currency=CURRENCY,
        counterparty_name=name,
        counterparty_iban=iban,
        remittance=remittance,
        end_to_end_id=end_to_end,
    )


def _grouped(reference: str) -> str:
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def _share_payments(cooperative, people, day) -> list[Entry]:
    """Residents without a share ask for one and pay it by transfer with its RF reference (one
    writes it in lower case); one of them pays twice by mistake, a week apart."""
    a_class = ShareClass.objects.get(cooperative=cooperative, code="A")
    buyers = (
        Membership.objects.filter(
            cooperative=cooperative,
            is_resident=True,
            share_lots__isnull=True,
            share_subscriptions__isnull=True,
        )
        .exclude(pk__in=[m.pk for m in people.logins])
        .exclude(user__email="")
        .select_related("user")
        .order_by("member_number")[:SHARE_BUYERS]
    )
    entries = []
    for index, buyer in enumerate(buyers):
        subscription = share_services.subscribe_to_shares(a_class, actor=buyer.user, count=1)
        reference = _grouped(subscription.payment_reference)
        paid_on = [2 + index * 2, 9 + index * 2] if index == TWICE else [2 + index * 2]
        entries += [
            _entry(
                day(n),
                f"{subscription.amount:.2f}",
                buyer.user.full_name,
                _resident_iban(buyer),
                f"Aandeel {reference.lower() if index == 3 else reference}",
            )
            for n in paid_on
        ]
    return entries


def _meals(people, day) -> list[Entry]:
    payers = people.online[20 : 20 + MEAL_PAYERS]
    return [
        _entry(
            day(meal),
            "5.00",
            payer.user.full_name,
            _resident_iban(payer),
            f"Buurtmaaltijd {day(meal).strftime('%d-%m')}",
        )
        for meal in MEALS
        for payer in payers
    ]


def _claims(cooperative, people, budgets, day) -> list[Expense]:
    """The claims of the month, each by a resident with the photo of the receipt; the first is
    the demo resident's own."""
    claimants = [people.resident, *people.online[26 : 26 + len(CLAIMS) - 1]]
    claims = []
    for index, ((description, amount, spent, shop), claimant) in enumerate(
        zip(CLAIMS, claimants, strict=True)
    ):
        receipt, name = _receipt(shop, amount)
        claims.append(
            services.submit_expense(
                cooperative,
                actor=claimant.user,
                budget=budgets[index % len(budgets)],
                amount=amount,
                description=description,
                spent_on=day(spent),
                receipt=receipt,
                receipt_name=name,
                payee_iban=_resident_iban(claimant),
            )
        )
    return claims


def _invoices(cooperative, people, budgets, day) -> list[Expense]:
    invoices = []
    for index, (supplier, iban, description, amount, spent) in enumerate(INVOICES):
        receipt, name = _receipt(supplier, amount, pdf=True)
        invoices.append(
            services.submit_expense(
                cooperative,
                actor=people.treasurer.user,
                kind="invoice",
                supplier_name=supplier,
                budget=budgets[(index + 1) % len(budgets)],
                amount=amount,
                description=description,
                spent_on=day(spent),
                receipt=receipt,
                receipt_name=name,
                payee_iban=iban,
            )
        )
    return invoices


def _advances(cooperative, people, budgets) -> list[Advance]:
    *holders, last_holder = people.online[32 : 32 + len(ADVANCES) + 1]
    made = [
        services.request_advance(
            cooperative,
            actor=holder.user,
            budget=budgets[index % len(budgets)],
            amount=amount,
            purpose=purpose,
            payee_iban=_resident_iban(holder),
        )
        for index, ((purpose, amount, _spent), holder) in enumerate(
            zip(ADVANCES, holders, strict=True)
        )
    ]
    purpose, amount = WAITING_ADVANCE
    services.request_advance(
        cooperative,
        actor=last_holder.user,
        budget=budgets[-1],
        amount=amount,
        purpose=purpose,
        payee_iban=_resident_iban(last_holder),
    )
    return made


def _approve(item, people) -> None:
    """Two approvals: the treasurer and the board member; an invoice the treasurer entered
    is approved by the board member and the project's lead."""
    if isinstance(item, Expense):
        approve = services.approve_expense
        first = people.treasurer.user
        if item.submitted_by_id == people.treasurer.pk:
            first = expense_selectors.project_lead(item.budget).user
    else:
        approve, first = services.approve_advance, people.treasurer.user
    approve(item, actor=first)
    approve(item, actor=people.board.user)


def _payment_line(item, on) -> Entry:
    if isinstance(item, Expense):
        name = item.supplier_name or item.claimant.user.full_name
        text = f"Declaratie {item.number}: {item.description}"
    else:
        name = item.holder.user.full_name
        text = f"Voorschot {item.number}: {item.purpose}"
    return _entry(on, f"{-item.amount:.2f}", name, item.payee_iban, text[:140], item.end_to_end_id)


def _pay_and_settle(cooperative, people, account, claims, invoices, advances, today):
    """Claims and invoices in every state, advances paid, settled and returned. Returns the
    lines of this month's statement: today's first batch and the advance returned."""
    one_approval, to_pay, on_statement, paid_later, refused = claims
    _waiting_invoice, paid_invoice = invoices
    services.approve_expense(one_approval, actor=people.treasurer.user)
    for item in (to_pay, on_statement, paid_later, paid_invoice, *advances):
        _approve(item, people)
    services.reject_expense(refused, actor=people.board.user, reason=REJECTION)
    treasurer = people.treasurer.user
    batch = services.make_payment_batch(
        cooperative,
        actor=treasurer,
        bank_account=account,
        expenses=[on_statement, paid_invoice],
        advances=advances,
    )
    # Paid today as well; the bank books it after this month's statement.
    services.make_payment_batch(
        cooperative, actor=treasurer, bank_account=account, expenses=[paid_later]
    )
    paid = [
        *Expense.objects.filter(batch=batch).select_related("claimant__user").order_by("number"),
        *Advance.objects.filter(batch=batch).select_related("holder__user").order_by("number"),
    ]
    lines = [_payment_line(item, today) for item in paid]
    for advance, (_purpose, _amount, spent) in zip(advances, ADVANCES, strict=True):
        if spent is None:
            continue
        advance = services.settle_advance(
            advance,
            actor=advance.holder.user,
            spent=spent,
            receipts_files=[_receipt("Kassabon", spent)],
        )
        if advance.to_return:
            lines.append(
                _entry(
                    today,
                    f"{advance.to_return:.2f}",
                    advance.holder.user.full_name,
                    advance.payee_iban,
                    f"Terug van voorschot {advance.number}",
                )
            )
    return lines


def _statement(account, opening, first, last, entries) -> Statement:
    entries = tuple(sorted(entries, key=lambda e: e.booking_date))
    return Statement(
        account_iban=account.iban,
        currency=CURRENCY,
        statement_id=f"{first:%Y%m%d}-{last:%Y%m%d}",
        opening_balance=opening,
        opening_date=first,
        closing_balance=opening + sum((e.amount for e in entries), Decimal(0)),
        closing_date=last,
        entries=entries,
    )


def _move_old_advance(advance: Advance, today) -> None:
    """Demo only: a batch pays from today on, so an advance that has been open for weeks is
    paid today, like the others, and its payment date is then moved back."""
    Advance.objects.filter(pk=advance.pk).update(
        paid_on=today - datetime.timedelta(days=OLD_ADVANCE_DAYS)
    )


def build_month(cooperative, people, today, *, paid_lines=()) -> dict:
    """The month's work as described above, with `paid_lines` (the month's earlier payments,
    budgets/demo_year.py) on its statement too; returns what matching did (see
    `services.match_bank_lines`)."""
    treasurer = people.treasurer.user
    first, last = bank_month(today)
    day = _Day(first, last)
    name, iban = BANK_ACCOUNT
    account = BankAccount.objects.filter(cooperative=cooperative, iban=iban).first()
    if account is None:
        account = services.add_bank_account(cooperative, actor=treasurer, iban=iban, name=name)
    budgets = list(expense_selectors.project_budgets(cooperative).filter(proposal__isnull=False))
    claims = _claims(cooperative, people, budgets, day)
    invoices = _invoices(cooperative, people, budgets, day)
    advances = _advances(cooperative, people, budgets)
    today_lines = _pay_and_settle(cooperative, people, account, claims, invoices, advances, today)
    funder, amount, text, on = FUND_PAYMENT
    month_lines = [
        *_share_payments(cooperative, people, day),
        _entry(day(on), amount, funder, PAYERS[funder], text),
        *_meals(people, day),
        *(_entry(day(n), a, who, number, what) for n, a, who, number, what in OTHERS),
        _entry(last, BANK_COSTS[0], "Triodos Bank", "", BANK_COSTS[1]),
        *paid_lines,
    ]
    # The bank opens the month with what the books say the account held the day before.
    opening = balance_as_of(account.ledger_account, first - datetime.timedelta(days=1)).amount
    if last < today:
        month = _statement(account, opening, first, last, month_lines)
        so_far = last + datetime.timedelta(days=1)
        statements = [month, _statement(account, month.closing_balance, so_far, today, today_lines)]
    else:
        statements = [_statement(account, opening, first, today, month_lines + today_lines)]
    data = camt053_file(
        statements,
        message_id=f"DEMO-{today:%Y%m%d}",
        created_at=datetime.datetime.combine(today, datetime.time(6, 0)),
    )
    services.import_statement(
        cooperative, actor=treasurer, data=data, file_name=f"afschrift-{first:%Y-%m}.xml"
    )
    matched = services.match_bank_lines(cooperative, actor=treasurer)
    _move_old_advance(advances[0], today)
    return matched
