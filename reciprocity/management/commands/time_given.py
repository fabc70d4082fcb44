"""`manage.py time_given check|rebuild [--cooperative SLUG]`: compare the summary of time given
with the contributions, or make it afresh from them."""

from django.core.management.base import BaseCommand, CommandError

from members.models import Cooperative
from reciprocity import summary


class Command(BaseCommand):
    help = "Check or rebuild the summary of time given that the public pages read."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for action, text in (
            (
                "check",
                "recompute the summary from the contributions and name every row that differs",
            ),
            ("rebuild", "make the summary afresh from the contributions"),
        ):
            sub = actions.add_parser(action, help=text)
            sub.add_argument("--cooperative", metavar="SLUG", help="only this cooperative")

    def handle(self, *args, action, cooperative=None, **options):
        if cooperative:
            cooperatives = list(Cooperative.objects.filter(slug=cooperative))
            if not cooperatives:
                raise CommandError(f"there is no cooperative {cooperative!r}")
        else:
            cooperatives = list(Cooperative.objects.order_by("slug"))
        if action == "rebuild":
            for each in cooperatives:
                summary.rebuild(each)
                self.stdout.write(f"{each.slug}: the summary of time given is made afresh")
            return
        problems = 0
        for each in cooperatives:
            found = summary.differences(each)
            for problem in found:
                self.stderr.write(f"{each.slug}: {problem}")
            problems += len(found)
            if not found:
                self.stdout.write(f"{each.slug}: the summary of time given is in order")
        if problems:
            raise CommandError(
                f"the summary of time given differs from the contributions: {problems} row(s)"
            )
