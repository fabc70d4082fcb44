"""Paying for shares online: asking with "online" leads to Stripe's form on our pay page, the
subscription page offers it again, and where Stripe is not configured or not reachable the
resident is told so and can still pay by bank transfer."""

import pytest

from shares.models import PaymentMethod, Subscription
from shares.payments import subject_of
from shares.services import subscribe_to_shares
from wijkbv.audit.models import AuditEvent
from wijkbv.payments.models import Payment

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_asking_for_shares_to_pay_online_opens_the_pay_page(hood, a_class, stripe_server):
    client = hood.client_for("alice")

    response = client.post(
        f"{URL}subscribe/", {"share_class": a_class.pk, "count": "2", "method": "stripe"}
    )

    subscription = Subscription.objects.get()
    payment = Payment.objects.get()
    assert subscription.method == PaymentMethod.STRIPE
    assert payment.subject == subject_of(subscription)
    assert payment.payer == hood.alice
    assert str(payment.amount.amount) == "20.00"
    assert response.status_code == 302
    assert response["Location"] == f"/payments/{payment.pk}/"


def test_the_pay_page_shows_the_amount_in_dutch(hood, a_class, stripe_server):
    client = hood.client_for("alice")
    client.post(f"{URL}subscribe/", {"share_class": a_class.pk, "count": "2", "method": "stripe"})

    page = client.get(f"/payments/{Payment.objects.get().pk}/").content.decode()

    # Babel puts a no-break space between the sign and the amount.
    assert "€\xa020,00" in page


def test_the_subscription_page_offers_the_same_payment_again(hood, a_class, stripe_server):
    subscription = subscribe_to_shares(a_class, actor=hood.alice, count=1, method="stripe")
    client = _english(hood.client_for("alice"))

    page = client.get(f"{URL}subscriptions/{subscription.pk}/").content.decode()
    first = client.post(f"{URL}subscriptions/{subscription.pk}/pay-online/")
    second = client.post(f"{URL}subscriptions/{subscription.pk}/pay-online/")

    assert "online" in page
    assert Payment.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/payments/{Payment.objects.get().pk}/"


def test_a_resident_who_asked_to_pay_by_bank_may_still_pay_online(hood, a_class, stripe_server):
    subscription = subscribe_to_shares(a_class, actor=hood.alice, count=1)

    response = hood.client_for("alice").post(f"{URL}subscriptions/{subscription.pk}/pay-online/")

    assert response["Location"] == f"/payments/{Payment.objects.get().pk}/"


def test_nobody_pays_online_for_someone_elses_subscription(hood, a_class, stripe_server):
    subscription = subscribe_to_shares(a_class, actor=hood.alice, count=1)
    events = AuditEvent.objects.count()

    response = _english(hood.client_for("carol")).post(
        f"{URL}subscriptions/{subscription.pk}/pay-online/", follow=True
    )

    assert "Only the member who asked for these shares" in response.content.decode()
    assert not Payment.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_paid_subscription_is_not_paid_again(hood, a_class, stripe_server):
    subscription = subscribe_to_shares(a_class, actor=hood.alice, count=1)
    from shares.services import record_subscription_payment

    record_subscription_payment(subscription, actor=hood.dave)

    response = _english(hood.client_for("alice")).post(
        f"{URL}subscriptions/{subscription.pk}/pay-online/", follow=True
    )

    assert "cannot be paid online" in response.content.decode()
    assert not Payment.objects.exists()


def test_without_stripe_the_form_offers_only_a_bank_transfer(hood, a_class, settings):
    settings.STRIPE_SECRET_KEY = ""
    client = _english(hood.client_for("alice"))

    page = client.get(f"{URL}subscribe/").content.decode()
    response = client.post(
        f"{URL}subscribe/", {"share_class": a_class.pk, "count": "1", "method": "stripe"}
    )

    assert 'value="stripe"' not in page
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Subscription.objects.exists()


def test_when_stripe_cannot_be_reached_the_resident_can_pay_by_bank(hood, a_class, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_unreachable"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    client = _english(hood.client_for("alice"))

    response = client.post(
        f"{URL}subscribe/",
        {"share_class": a_class.pk, "count": "1", "method": "stripe"},
        follow=True,
    )

    page = response.content.decode()
    assert "not possible at the moment" in page
    assert Subscription.objects.get().payment_reference[:4] in page
    assert not Payment.objects.exists()


def test_through_the_api_the_subscriber_gets_the_payment_and_its_page(hood, a_class, stripe_server):
    subscription = subscribe_to_shares(a_class, actor=hood.alice, count=2, method="stripe")

    response = hood.client_for("alice").post(
        f"/api/v1/c/teststad/shares/subscriptions/{subscription.pk}/pay-online/"
    )

    payment = Payment.objects.get()
    assert response.status_code == 201
    assert response.json()["payment"] == payment.pk
    assert response.json()["amount"] == "20.00"
    assert response.json()["pay_url"].endswith(f"/payments/{payment.pk}/")


def test_through_the_api_someone_else_is_refused_and_nothing_starts(hood, a_class, stripe_server):
    subscription = subscribe_to_shares(a_class, actor=hood.alice, count=2, method="stripe")

    response = hood.client_for("carol").post(
        f"/api/v1/c/teststad/shares/subscriptions/{subscription.pk}/pay-online/"
    )

    assert response.status_code == 403
    assert not Payment.objects.exists()
