"""`manage.py ledger check [--cooperative SLUG]`: recompute the books and report what differs."""

from django.core.management.base import BaseCommand, CommandError

from members.models import Cooperative
from wijkbv.ledger.checking import find_problems


class Command(BaseCommand):
    help = "Check the ledger: recompute every balance from the postings and compare."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser(
            "check",
            help="recompute balances, transactions and closing balances from the postings, "
            "compare them with the audit chain, and name every row that differs",
        )
        check.add_argument("--cooperative", metavar="SLUG", help="only this cooperative")

    def handle(self, *args, action, cooperative=None, **options):
        if cooperative:
            cooperatives = list(Cooperative.objects.filter(slug=cooperative))
            if not cooperatives:
                raise CommandError(f"there is no cooperative {cooperative!r}")
        else:
            cooperatives = list(Cooperative.objects.order_by("slug"))
        problems = 0
        for each in cooperatives:
            report = find_problems(each)
            for problem in report.problems:
                self.stderr.write(f"{each.slug}: {problem}")
            problems += len(report.problems)
            if not report.problems:
                self.stdout.write(
                    f"{each.slug}: in order, {report.accounts} accounts, "
                    f"{report.transactions} transactions, {report.postings} postings"
                )
        if problems:
            raise CommandError(f"the ledger does not add up: {problems} problem(s), see above")
