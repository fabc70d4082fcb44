from django.core.management.base import BaseCommand, CommandError

from members import services
from wijkbv.errors import DomainError


class Command(BaseCommand):
    help = "Found a new cooperative on this installation (for the site's administrators)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="short name in web addresses")
        parser.add_argument("--kvk", default="", help="KvK number, 8 digits")
        parser.add_argument("--postcodes", default="", help="e.g. '2532, 2533 AB'")

    def handle(self, *args, name, slug, kvk, postcodes, **options):
        try:
            cooperative = services.create_cooperative(
                actor=None,
                name=name,
                slug=slug,
                kvk_number=kvk,
                area_postcodes=[p for p in postcodes.split(",") if p.strip()],
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"{cooperative.name} is at /c/{cooperative.slug}/")
