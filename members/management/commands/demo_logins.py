from django.core.management.base import BaseCommand

from members.demo import DEMO_TOTP_KEYS, DOMAIN, FUNDER, PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Print how to log in to the demo as each role."

    def handle(self, *args, **options):
        write = self.stdout.write
        write("")
        write(
            "wijkbv is running at http://127.0.0.1:8000/ (Dutch; switch to English at the bottom)."
        )
        write(f"Every demo account has the password:  {PASSWORD}")
        write("")
        rows = [(email, name, ", ".join(str(r) for r in roles)) for email, name, roles in PEOPLE]
        rows.append((FUNDER[0], FUNDER[1], f"funder ({FUNDER[2]})"))
        rows.append(("beheer@wijkbv.example", "Site beheer", "site administrator (/admin/)"))
        for email, name, roles in rows:
            write(f"  {email:<38} {name:<20} {roles}")
        write("")
        write("Board members, treasurers and the administrator confirm their login with a code")
        write("from an authenticator app. For the demo accounts, get the current code with:")
        for email in DEMO_TOTP_KEYS:
            write(f"  .venv/bin/python manage.py demo_code {email}")
        write(f"The coordinator ({'coordinator@' + DOMAIN}) is also in a second cooperative,")
        write("Transvaal-Noord, to try the cooperative switcher.")
        write("")
