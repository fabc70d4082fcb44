"""Asking for shares on the web: the message a refused form shows, and that nothing is written."""

import pytest

from shares.models import Subscription
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _client(hood, name):
    return _english(hood.client_for(name))


def test_a_resident_asks_for_shares_and_sees_how_to_pay(hood, a_class):
    client = _client(hood, "alice")

    response = client.post(
        f"{URL}subscribe/", {"share_class": a_class.pk, "count": "2", "method": "bank"}, follow=True
    )

    subscription = Subscription.objects.get()
    page = response.content.decode()
    assert subscription.count == 2
    assert "20.00" in page
    assert subscription.payment_reference[:4] in page
    assert "Thank you" in page


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("1.5", "whole number of shares"),
        ("0", "whole number of shares"),
        ("-3", "whole number of shares"),
        ("", "whole number of shares"),
        ("99999999999", "more shares than the cooperative could ever issue"),
        ("6", "at most 5 shares A"),
    ],
)
def test_the_form_says_what_is_wrong_with_the_count(hood, a_class, count, message):
    events = AuditEvent.objects.count()

    response = _client(hood, "alice").post(
        f"{URL}subscribe/", {"share_class": a_class.pk, "count": count, "method": "bank"}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.count() == events
