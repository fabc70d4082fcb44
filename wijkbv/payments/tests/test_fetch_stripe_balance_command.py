"""`manage.py fetch_stripe_balance --cooperative SLUG`, for cron."""

import pytest
from django.core.management import CommandError, call_command

from wijkbv.payments.models import BalanceFetch, Payout
from wijkbv.payments.tests.helpers import create_payout, stripe_written

pytestmark = pytest.mark.django_db


def test_it_fetches_as_the_system(hood, stripe_server, capsys):
    create_payout(900)

    call_command("fetch_stripe_balance", "--cooperative", "teststad")

    assert "Booked 0 fee(s), 1 payout(s)" in capsys.readouterr().out
    assert BalanceFetch.objects.get().fetched_by is None
    assert Payout.objects.count() == 1


def test_it_refuses_an_unknown_cooperative(hood):
    with pytest.raises(CommandError, match="no cooperative with the short name 'nergens'"):
        call_command("fetch_stripe_balance", "--cooperative", "nergens")


def test_it_says_why_it_wrote_nothing(hood, settings):
    settings.STRIPE_SECRET_KEY = ""
    before = stripe_written(hood.cooperative)

    with pytest.raises(CommandError, match="Stripe is not set up"):
        call_command("fetch_stripe_balance", "--cooperative", "teststad")

    assert stripe_written(hood.cooperative) == before
