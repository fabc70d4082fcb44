"""`manage.py send_agreement_reminders`: e-mail the person responsible for each agreement that is
due soon. Run it once a day from cron; running it again sends nothing new."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from budgets.reminders import DAYS_BEFORE, send_agreement_reminders


class Command(BaseCommand):
    help = (
        "E-mail a reminder for each open agreement due within the coming days (overdue ones "
        "included) that has not been reminded yet. Meant to run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=DAYS_BEFORE,
            help=f"Remind this many days before the due date (default {DAYS_BEFORE}).",
        )
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, days_before, today, **options):
        if days_before < 0:
            raise CommandError("--days-before is a number of days, zero or more.")
        on_date = None
        if today:
            try:
                on_date = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today {today!r} is not a date such as 2026-01-31.") from None
        sent = send_agreement_reminders(today=on_date, days_before=days_before)
        self.stdout.write(f"{sent} reminder(s) sent.")
