import datetime

from django.core.management.base import BaseCommand, CommandError

from members import services


class Command(BaseCommand):
    help = (
        "Delete the kept identities of forgotten members whose seven years of retention have "
        "ended. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="YYYY-MM-DD: purge as on this day (to check what a day would do)"
        )

    def handle(self, *args, today=None, **options):
        if today is not None:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD") from None
        count = services.purge_retained_identities(actor=None, today=today)
        self.stdout.write(f"{count} kept identities deleted")
