"""`manage.py import_statement --cooperative SLUG FILE`: import a bank statement file (CAMT.053 or
MT940) as the treasurer does on the site, whole or not at all, as the system.
`manage.py import_statement --dry-run FILE` writes nothing and prints the statements it read as
JSON, to look at a file before importing it."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets import services
from budgets.statements.model import as_json
from members.models import Cooperative
from wijkbv.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import a bank statement file (CAMT.053 or MT940) for a cooperative, whole or not at all; "
        "with --dry-run, print the statements it holds as JSON and write nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The statement file (CAMT.053 XML or MT940).")
        parser.add_argument("--cooperative", help="The short name (slug) of the cooperative.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only read the file and print it as JSON."
        )

    def handle(self, *args, file, cooperative, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        self.stderr.write(f"Reading {path.name} ({len(data)} bytes)...")
        try:
            if dry_run:
                _format, statements = services._read_statements(data)
                self.stdout.write(
                    json.dumps([as_json(s) for s in statements], indent=2, ensure_ascii=False)
                )
                return
            if not cooperative:
                raise CommandError("Name the cooperative: --cooperative SLUG (or use --dry-run).")
            found = Cooperative.objects.filter(slug=cooperative).first()
            if found is None:
                raise CommandError(f"There is no cooperative with the short name {cooperative!r}.")
            self.stderr.write("Checking and storing...")
            record = services.import_statement(found, actor=None, data=data, file_name=path.name)
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stderr.write(
            f"Stored {record.line_count} new line(s) from {record.statements.count()} "
            f"statement(s) of {record.bank_account.iban}."
        )
