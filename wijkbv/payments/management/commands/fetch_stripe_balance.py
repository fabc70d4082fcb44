"""`manage.py fetch_stripe_balance --cooperative SLUG`: fetch Stripe's new balance transactions
and payouts and book their fees and payouts for the cooperative, as the treasurer's "Fetch from
Stripe" button does, as the system. Meant for cron; fetching again books nothing twice."""

from django.core.management.base import BaseCommand, CommandError

from members.models import Cooperative
from wijkbv.errors import DomainError
from wijkbv.payments import services


class Command(BaseCommand):
    help = "Fetch Stripe's fees and payouts for a cooperative and book what is new."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cooperative", required=True, help="The short name (slug) of the cooperative."
        )

    def handle(self, *args, cooperative, **options):
        found = Cooperative.objects.filter(slug=cooperative).first()
        if found is None:
            raise CommandError(f"There is no cooperative with the short name {cooperative!r}.")
        try:
            fetched = services.fetch_stripe_balance(found, actor=None)
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(
            f"Booked {len(fetched.fees)} fee(s), {len(fetched.payouts)} payout(s) and "
            f"{len(fetched.reversed)} reversal(s) of payouts; {fetched.not_booked} item(s) "
            "at Stripe could not be booked for this cooperative."
        )
