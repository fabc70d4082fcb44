"""The share register (aandeelhoudersregister) of a cooperative, from the shell."""

import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from members.models import Cooperative
from shares.exports import REGISTER_COLUMNS, csv_safe, register_rows
from shares.selectors import register_lines


class Command(BaseCommand):
    help = "Print the share register of a cooperative, today or as of a past date."

    def add_arguments(self, parser):
        parser.add_argument("--cooperative", required=True, help="The cooperative's short name.")
        parser.add_argument("--at", help="The date (YYYY-MM-DD); today when not given.")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, cooperative, at, format, **options):
        found = Cooperative.objects.filter(slug=cooperative).first()
        if found is None:
            raise CommandError(f"There is no cooperative {cooperative!r}.")
        on_date = None
        if at:
            try:
                on_date = datetime.date.fromisoformat(at)
            except ValueError:
                raise CommandError(f"--at {at!r} is not a date such as 2026-01-31.") from None
        rows = register_rows(register_lines(found, at=on_date))
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: csv_safe(value) for key, value in row.items()} for row in rows)
