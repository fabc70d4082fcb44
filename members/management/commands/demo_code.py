from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from members.demo import DEMO_TOTP_KEYS


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (only with DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="e-mail address of a demo account")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code only works on a development site (DEBUG=1).")
        key = DEMO_TOTP_KEYS.get(email.lower())
        if key is None:
            known = ", ".join(sorted(DEMO_TOTP_KEYS))
            raise CommandError(
                f"{email} has no demo authenticator. Demo accounts with one: {known}"
            )
        self.stdout.write(f"{totp(bytes.fromhex(key)):06d}")
