"""`manage.py export_xaf --cooperative SLUG --year 2026 [--output FILE]`: the year's books as an
XML Auditfile Financieel 3.2 for the accountant, to a file or to standard output."""

import os

from django.core.management.base import BaseCommand, CommandError

from members.models import Cooperative
from wijkbv.errors import DomainError
from wijkbv.ledger import xaf


class Command(BaseCommand):
    help = "Write a year of a cooperative's books as an XML Auditfile Financieel (XAF 3.2)."

    def add_arguments(self, parser):
        parser.add_argument("--cooperative", metavar="SLUG", required=True)
        parser.add_argument("--year", required=True, help="the financial year, e.g. 2026")
        parser.add_argument(
            "--output", metavar="FILE", help="where to write the file (default: standard output)"
        )

    def handle(self, *args, cooperative, year, output=None, **options):
        found = Cooperative.objects.filter(slug=cooperative).first()
        if found is None:
            raise CommandError(f"there is no cooperative {cooperative!r}")
        try:
            pieces = xaf.export(found, year)
        except DomainError as refused:
            raise CommandError(str(refused)) from None
        if not output:
            for piece in pieces:
                self.stdout.write(piece.decode(), ending="")
            return
        # Written beside the target first, so a failure never leaves half a file under its name.
        partial = f"{output}.partial"
        try:
            with open(partial, "wb") as out:
                for piece in pieces:
                    out.write(piece)
        except OSError as failed:
            if os.path.exists(partial):
                os.remove(partial)
            raise CommandError(f"cannot write {output}: {failed.strerror}") from None
        os.replace(partial, output)
        self.stderr.write(f"{found.slug}: the books of {year} written to {output}")
