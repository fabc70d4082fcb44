"""Adding a funding stream: a funder's commitment with its earmark and conditions."""

import pytest

from budgets.models import FundingStream
from budgets.tests.conftest import written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

URL = f"{BASE}/money/add/"


def _form(organisation, **fields):
    return {
        "funder": organisation.pk,
        "name": "Zorgfonds",
        "committed": "15000",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "earmark": ["care", "elderly"],
        "conditions": "Alleen voor activiteiten in de wijk.",
        "reporting": "Een verslag per kwartaal.",
    } | fields


def test_the_board_adds_a_stream_with_an_earmark(hood, funder):
    response = client(hood, "carol").post(URL, _form(funder), follow=True)

    stream = FundingStream.objects.get()
    assert (stream.name, stream.earmark, str(stream.committed)) == (
        "Zorgfonds",
        ["care", "elderly"],
        "15000.00",
    )
    assert "The funding stream Zorgfonds has been added." in page(response)


def test_the_funders_account_is_stored_compact(hood, funder):
    client(hood, "carol").post(URL, _form(funder, payer_iban="nl39 rabo 0300 0652 64"))

    assert FundingStream.objects.get().payer_iban == "NL39RABO0300065264"


def test_the_themes_are_checkboxes(hood):
    text = page(client(hood, "dave").get(URL))

    assert 'type="checkbox" name="earmark" value="care"' in text


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": ""}, "Fill in a name."),
        ({"committed": "0"}, "Fill in an amount in euros and cents, more than zero"),
        ({"ends_on": "2025-01-01"}, "The end date comes before the start date."),
        ({"earmark": ["weather"]}, "Choose the themes from the list."),
        ({"funder": ""}, "Choose one of this cooperative&#x27;s partner organisations"),
        ({"payer_iban": "NL39RABO0300065265"}, "This is not a valid IBAN."),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(hood, funder, fields, message):
    before = written(hood.cooperative)

    response = client(hood, "carol").post(URL, _form(funder, **fields))

    assert response.status_code == 400
    assert message in page(response)
    assert written(hood.cooperative) == before
