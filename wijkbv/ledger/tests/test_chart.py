import pytest

from members import services as members
from wijkbv.ledger.chart import STANDARD_CHART
from wijkbv.ledger.models import Account, Balance, Purpose
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db


def test_every_new_cooperative_starts_with_the_standard_chart():
    cooperative = members.create_cooperative(actor=None, name="Wijk-BV Noord", slug="noord")
    accounts = Account.objects.filter(cooperative=cooperative).order_by("code")
    assert [a.code for a in accounts] == [code for code, *_rest in STANDARD_CHART]
    purposes = {a.purpose for a in accounts}
    assert {
        Purpose.BANK,
        Purpose.STRIPE,
        Purpose.IN_TRANSIT,
        Purpose.ADVANCES,
        Purpose.SHARE_CAPITAL,
        Purpose.FUNDING_STREAM,
        Purpose.PROJECT_BUDGET,
        Purpose.REINVESTMENT_RESERVE,
        Purpose.WORK_IN_KIND,
        Purpose.GENERAL,
    } == purposes
    assert {a.type for a in accounts} == {"asset", "liability", "equity", "income", "expense"}
    assert all(a.currency == "EUR" for a in accounts)
    assert Balance.objects.filter(account__cooperative=cooperative).count() == len(accounts)
    assert all(balance(a) == euros(0) for a in accounts)


def test_the_chart_is_named_in_the_language_of_the_site():
    cooperative = members.create_cooperative(actor=None, name="Wijk-BV Noord", slug="noord")
    bank = Account.objects.get(cooperative=cooperative, code="1000")
    # The site speaks Dutch by default; without a translation the English name stands.
    assert bank.name in {"Bankrekening", "Bank account"}
