import pytest

from wijkbv.payments import services
from wijkbv.payments.testing import construct, intent_event, pay_by_card
from wijkbv.payments.tests.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(hood, stripe_server, test_subject):
    return start(hood)


def get(hood, payment, name="alice"):
    return hood.client_for(name).get(
        f"/payments/{payment.pk}/done/", headers={"accept-language": "en"}
    )


def test_it_thanks_the_payer_once_the_payment_is_recorded(hood, payment):
    pay_by_card(payment)
    services.handle_stripe_event(construct(intent_event(payment)))

    response = get(hood, payment)

    assert response.status_code == 200
    assert "your payment has been received" in response.text
    assert "in a moment" not in response.text


def test_it_asks_stripe_before_the_webhook_has_arrived(hood, payment):
    pay_by_card(payment)

    response = get(hood, payment)

    assert "your payment has been received" in response.text
    assert "It will appear in your overview in a moment." in response.text


def test_it_does_not_believe_the_address(hood, payment):
    response = hood.client_for("alice").get(
        f"/payments/{payment.pk}/done/?redirect_status=succeeded",
        headers={"accept-language": "en"},
    )

    assert "We have not received this payment yet." in response.text


def test_it_is_for_the_payer_alone(hood, payment):
    assert get(hood, payment, "dave").status_code == 404
