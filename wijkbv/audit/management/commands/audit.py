"""`manage.py audit verify [--cooperative SLUG]` and
`manage.py audit export --cooperative SLUG [--public]`."""

from django.core.management.base import BaseCommand, CommandError

from members.models import Cooperative
from wijkbv.audit.chain import export_chain, verify_chain


class Command(BaseCommand):
    help = "Verify the audit chains, or export one as JSON lines for verify.py."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser(
            "verify", help="recompute every chain (or one) and report the first break"
        )
        verify.add_argument("--cooperative", metavar="SLUG", help="only this cooperative")
        export = actions.add_parser(
            "export", help="write one cooperative's chain to standard output as JSON lines"
        )
        export.add_argument("--cooperative", metavar="SLUG", required=True)
        export.add_argument(
            "--public",
            action="store_true",
            help="leave out the content of events about a person, as the open pages publish it",
        )

    def handle(self, *args, action, cooperative=None, public=False, **options):
        if action == "export":
            for line in export_chain(_cooperative(cooperative), public=public):
                self.stdout.write(line, ending="")
            return
        cooperatives = (
            [_cooperative(cooperative)] if cooperative else Cooperative.objects.order_by("slug")
        )
        broken = []
        for each in cooperatives:
            verified = verify_chain(each)
            if verified.broken is None:
                self.stdout.write(
                    f"{verified.label}: intact, {verified.events} events, head {verified.head}"
                )
            else:
                self.stderr.write(f"{verified.label}: BROKEN at {verified.broken}")
                broken.append(f"{verified.label} at {verified.broken}")
        if broken:
            raise CommandError("the audit chain is broken: " + "; ".join(broken))


def _cooperative(slug: str) -> Cooperative:
    try:
        return Cooperative.objects.get(slug=slug)
    except Cooperative.DoesNotExist:
        raise CommandError(f"there is no cooperative {slug!r}") from None
