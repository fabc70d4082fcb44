"""The months since the first round of the year in the demo neighbourhood Moerwijk-Oost: its
projects spend month by month. Each month a few residents claim what they paid for with the
photo of their receipt, and the treasurer enters a supplier's invoice or two; the treasurer and
the board (for an invoice: the project's lead and the board) approve each, and the treasurer
pays them together in one batch near the end of the month. So the open page shows money going
out in every month since the decision, not only in the last one.

The months run from the month of the decision up to last month; this month is the treasurer's
month of budgets/demo_month.py. Last month's batch is on last month's bank statement, so its
lines are returned for that statement; the months before it have no statement in the demo.

Everything goes through the services; called by budgets/demo.py once the first round is decided.
"""

import contextlib
import datetime
from decimal import Decimal

from django.utils import timezone

from budgets import services
from budgets.demo_month import (
    BANK_ACCOUNT,
    INVOICES,
    _approve,
    _nl_iban,
    _payment_line,
    _receipt,
    _resident_iban,
    bank_month,
)
from budgets.models import BankAccount, Expense, ReceiptFile

SUPPLIERS = {
    **{supplier: iban for supplier, iban, *_rest in INVOICES},
    "Gereedschapshandel Van Dijk": _nl_iban("RABO", 318224466),
    "Partyverhuur Haaglanden": _nl_iban("INGB", 4455667),
    "Geluid en Licht Escamp": _nl_iban("ABNA", 512773901),
    "Boekhandel Escamp": _nl_iban("RABO", 160339922),
    "Hoveniersbedrijf Groen Escamp": _nl_iban("SNSB", 922113344),
}

# What each project of the first round spends, in the order it does: (supplier's invoice or
# not, what, amount, supplier or the shop on the receipt). Each list stays well within the
# project's budget, leaving room for last month's claims (budgets/demo_month.py).
SPENDING = {
    "repaircafe": [
        (False, "Soldeertin en kleine onderdelen", "24.60", "Conrad Den Haag"),
        (True, "Gereedschapskoffer en multimeter", "189.00", "Gereedschapshandel Van Dijk"),
        (False, "Koffie, thee en koek voor de reparateurs", "31.45", "Jumbo Moerwijk"),
        (False, "Naaimachinenaalden en garen", "17.90", "Stoffenwinkel De Naald"),
        (True, "Werkbank en twee lampen", "265.00", "Bouwmarkt Escamp"),
        (False, "Koffie, thee en koek voor de reparateurs", "28.80", "Jumbo Moerwijk"),
        (False, "Zekeringen, stekkers en snoer", "42.35", "Hornbach Den Haag"),
        (True, "Flyers en posters voor het Repair Café", "96.80", "Drukkerij Moerwijk"),
    ],
    "gereedschap": [
        (True, "Stellingkasten voor de uitleenkast", "348.50", "Bouwmarkt Escamp"),
        (
            True,
            "Boormachine, schuurmachine en decoupeerzaag",
            "419.00",
            "Gereedschapshandel Van Dijk",
        ),
        (False, "Hangsloten en labels voor het gereedschap", "36.75", "Action Leyweg"),
        (True, "Ladder, kruiwagen en tuingereedschap", "287.40", "Bouwmarkt Escamp"),
        (False, "Verlengsnoeren en oplaadbare accu's", "58.20", "Hornbach Den Haag"),
        (True, "Hogedrukreiniger en tegelzaag", "395.00", "Gereedschapshandel Van Dijk"),
    ],
    "zomerfeest": [
        (True, "Huur springkussen en schminkspullen", "425.00", "Partyverhuur Haaglanden"),
        (False, "Prijsjes en materiaal voor de spelletjes", "64.30", "Action Leyweg"),
        (False, "IJsjes en limonade voor 120 kinderen", "138.60", "Makro Den Haag"),
        (True, "Geluidsinstallatie en muziek", "350.00", "Geluid en Licht Escamp"),
        (False, "Fruit en broodjes voor de vrijwilligers", "47.85", "Lidl Loevesteinlaan"),
        (True, "Kinderboekjes en knutselpakketten", "182.40", "Boekhandel Escamp"),
        (False, "Stoepkrijt, ballonnen en slingers", "29.95", "Action Leyweg"),
    ],
    "moestuin": [
        (True, "Hout voor vier moestuinbakken", "312.80", "Bouwmarkt Escamp"),
        (False, "Zaden en plantjes", "46.95", "Tuincentrum Escamp"),
        (True, "Tuinaarde en compost, bezorgd", "184.00", "Hoveniersbedrijf Groen Escamp"),
        (False, "Regenton en gieters", "68.40", "Tuincentrum Escamp"),
        (False, "Handschoenen en kleine schepjes", "22.50", "Action Leyweg"),
        (False, "Biologische mest en plantenvoeding", "34.75", "Tuincentrum Escamp"),
    ],
}
BATCH_DAY = 26  # the treasurer pays the month's approved expenses on this day
PER_MONTH = (2, 5)  # the fewest and the most expenses paid in one month
CLAIMANTS = slice(40, 52)  # residents (of people.online) who claim what they paid


@contextlib.contextmanager
def _clock_at(moment: datetime.datetime):
    """Demo only: the services take today from the clock, and a payment batch pays from today
    on; so the work of a month gone by is done with Django's clock set to a moment of that
    month. The audit chain still stamps each event with the real time (it reads the system
    clock itself), and the ledger its bookings, so both show when the demo was built."""
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _months(decided: datetime.date, today: datetime.date) -> list[tuple]:
    """(first day on which money is spent, day of the batch) of each month from the decision up
    to last month; a month whose batch day comes too soon after the decision is left out. In
    January the bank month is this month (last year is closed), so no month comes before it."""
    first_bank_day, last_bank_day = bank_month(today)
    until = last_bank_day if last_bank_day < today else first_bank_day - datetime.timedelta(days=1)
    months = []
    start = decided.replace(day=1)
    while start <= until:
        spend_from = max(start, decided + datetime.timedelta(days=1))
        batch_day = start.replace(day=BATCH_DAY)
        if (batch_day - spend_from).days >= 3:
            months.append((spend_from, batch_day))
        start = (start + datetime.timedelta(days=32)).replace(day=1)
    return months


def _queue(adopted: dict) -> list[tuple]:
    """The expenses in the order they come: one from each project in turn."""
    lists = [
        [(adopted[key], *row) for row in rows] for key, rows in SPENDING.items() if key in adopted
    ]
    queue = []
    while any(lists):
        for rows in lists:
            if rows:
                queue.append(rows.pop(0))
    return queue


def _submit(cooperative, people, claimant, proposal, row, spent_on) -> Expense:
    is_invoice, description, amount, who = row
    receipt, name = _receipt(who, amount, pdf=is_invoice)
    common = {
        "budget": proposal.budget_account,
        "amount": amount,
        "description": description,
        "spent_on": spent_on,
        "receipt": receipt,
        "receipt_name": name,
    }
    if is_invoice:
        return services.submit_expense(
            cooperative,
            actor=people.treasurer.user,
            kind="invoice",
            supplier_name=who,
            payee_iban=SUPPLIERS[who],
            **common,
        )
    return services.submit_expense(
        cooperative, actor=claimant.user, payee_iban=_resident_iban(claimant), **common
    )


def _month(cooperative, people, account, rows, claimants, spend_from, batch_day) -> list[Expense]:
    """One month: each expense submitted the evening of the day it was spent, approved the day
    before the batch, paid in the batch."""
    days = (batch_day - spend_from).days - 1
    made = []
    for index, (proposal, *row) in enumerate(rows):
        spent_on = spend_from + datetime.timedelta(days=(index * 5 + 2) % days)
        with _clock_at(_at(spent_on, 20)):
            expense = _submit(cooperative, people, next(claimants), proposal, row, spent_on)
        made.append((expense, _at(spent_on, 20)))
    with _clock_at(_at(batch_day - datetime.timedelta(days=1), 10)):
        for expense, _moment in made:
            _approve(expense, people)
    with _clock_at(_at(batch_day, 9)):
        services.make_payment_batch(
            cooperative,
            actor=people.treasurer.user,
            bank_account=account,
            expenses=[expense for expense, _moment in made],
            execution_date=batch_day,
        )
    # Demo only: what the services stamp with the time of writing (a row's default) is dated
    # back to when the story says it was written, as with the votes in budgets/demo.py.
    for expense, moment in made:
        Expense.objects.filter(pk=expense.pk).update(submitted_at=moment)
        ReceiptFile.objects.filter(expense=expense).update(uploaded_at=moment)
    return [expense for expense, _moment in made]


def build_year(cooperative, people, today, adopted: dict, decided: datetime.date) -> dict:
    """The months of spending described above; returns how many months and expenses, what they
    came to, and the bank lines of last month's batch for last month's statement."""
    name, iban = BANK_ACCOUNT
    account = BankAccount.objects.filter(cooperative=cooperative, iban=iban).first()
    if account is None:
        account = services.add_bank_account(
            cooperative, actor=people.treasurer.user, iban=iban, name=name
        )
    months = _months(decided, today)
    queue = _queue(adopted)
    claimants = iter(people.online[CLAIMANTS] * len(queue))
    low, high = PER_MONTH
    first_bank_day, _last = bank_month(today)
    paid, lines = [], []
    for position, (spend_from, batch_day) in enumerate(months):
        count = min(high, max(low, round(len(queue) / (len(months) - position))), len(queue))
        rows, queue = queue[:count], queue[count:]
        if not rows:
            break
        paid += _month(cooperative, people, account, rows, claimants, spend_from, batch_day)
        if batch_day >= first_bank_day:
            on_statement = (
                Expense.objects.filter(cooperative=cooperative, batch__execution_date=batch_day)
                .select_related("claimant__user")
                .order_by("number")
            )
            lines += [_payment_line(expense, batch_day) for expense in on_statement]
    return {
        "months": len({expense.spent_on.replace(day=1) for expense in paid}),
        "expenses": len(paid),
        "spent": sum((expense.amount for expense in paid), Decimal(0)),
        "bank_lines": lines,
    }
