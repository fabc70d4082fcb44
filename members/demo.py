"""The demo neighbourhood Moerwijk-Oost: residents, roles, places and partner organisations.

Deterministic (a fixed random seed) and idempotent: a step that finds its work done does nothing.
Later apps add their own `demo.py` with a `build(stdout)` function; `manage.py demo` runs them in
the order of INSTALLED_APPS.
"""

import random

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from members import services
from members.models import Cooperative, PlaceKind, Role, Sector, User

SLUG = "moerwijk-oost"
SECOND_SLUG = "transvaal-noord"
PASSWORD = "wijkbv-demo"
DOMAIN = "moerwijk-oost.example"
RESIDENTS = 150

# Fixed keys, so a newcomer can ask `manage.py demo_code EMAIL` for the current code.
DEMO_TOTP_KEYS = {
    f"bestuur@{DOMAIN}": "3132333435363738393031323334353637383930",
    f"penningmeester@{DOMAIN}": "3132333435363738393031323334353637383931",
    "beheer@wijkbv.example": "3132333435363738393031323334353637383932",
}

# (e-mail, name, roles, second factor needed)
PEOPLE = [
    (f"bewoner@{DOMAIN}", "Mohamed El Amrani", [Role.RESIDENT]),
    (f"coordinator@{DOMAIN}", "Fatima Bouzid", [Role.RESIDENT, Role.COORDINATOR]),
    (f"bestuur@{DOMAIN}", "Henk de Vries", [Role.RESIDENT, Role.BOARD]),
    (f"penningmeester@{DOMAIN}", "Sandra Kok", [Role.RESIDENT, Role.TREASURER]),
    (f"kascommissie@{DOMAIN}", "Ayşe Yılmaz", [Role.RESIDENT, Role.AUDIT_COMMITTEE]),
]
FUNDER = (f"gemeente@{DOMAIN}", "Peter Jansen", "Gemeente Den Haag")

FIRST_NAMES = [
    "Anna",
    "Bram",
    "Chantal",
    "Dewi",
    "Emre",
    "Fleur",
    "Gerrit",
    "Hatice",
    "Ilse",
    "Jamal",
    "Karin",
    "Lotte",
    "Marco",
    "Naima",
    "Olga",
    "Pieter",
    "Rachida",
    "Stefan",
    "Tineke",
    "Umut",
    "Vera",
    "Wim",
    "Yusuf",
    "Zeynep",
    "Agnieszka",
    "Bilal",
    "Cor",
    "Dunya",
    "Erik",
    "Farah",
    "Gül",
    "Hans",
    "Ingrid",
    "Jorien",
    "Kees",
    "Latifa",
    "Mees",
    "Noor",
    "Orhan",
    "Priya",
    "Ria",
    "Sevda",
    "Tom",
    "Ursula",
    "Vincent",
    "Wendy",
    "Xander",
    "Yara",
    "Zoë",
    "Ravi",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Öztürk",
    "Kaya",
    "Demir",
    "El Idrissi",
    "Benali",
    "Ramdin",
    "Soekhoe",
    "Kowalski",
    "Nowak",
    "Wiśniewska",
    "Pinas",
    "Sewdien",
    "Aydın",
    "Ait Taleb",
    "van Leeuwen",
    "Koster",
    "Prins",
]
STREETS = [
    "Moerweg",
    "Zuiderpark laan",
    "Erasmusweg",
    "Loevesteinlaan",
    "Hengelolaan",
    "Zwartsluisstraat",
    "Oudemansstraat",
    "Kampenringweg",
    "Dedemsvaartweg",
]

PLACES = [
    (
        "Buurtkamer De Moerhof",
        PlaceKind.COMMUNITY_ROOM,
        "Moerweg 212",
        "Open on weekdays; coffee, the money-worries club and the neighbourhood office.",
    ),
    (
        "Buurttuin Zuiderpark",
        PlaceKind.GARDEN,
        "Zuiderparklaan 40",
        "Vegetable beds shared by thirty households.",
    ),
    (
        "Keuken De Schaal",
        PlaceKind.KITCHEN,
        "Erasmusweg 310",
        "Where the shared meals are cooked on Tuesdays and Fridays.",
    ),
]

PARTNERS = [
    (
        "Gemeente Den Haag",
        Sector.GOVERNMENT,
        "The municipality: neighbourhood budget and social support",
    ),
    ("Zorgverzekeraar Zuidwest", Sector.BUSINESS, "Health insurer: prevention funding"),
    ("GGZ Haaglanden Zuid", Sector.NEIGHBOURHOOD, "Mental-health care provider"),
    ("Welzijn Escamp", Sector.NEIGHBOURHOOD, "Welfare organisation: community workers"),
    ("Fonds 1818", Sector.NEIGHBOURHOOD, "Local fund for social projects"),
    ("Buurtsuper Moerwijk", Sector.BUSINESS, "The corner shop: gives food for shared meals"),
]


def _demo_user(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def _set_password(user: User) -> None:
    # Demo accounts get a known password; real people choose theirs through an invitation.
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])


def _add_totp(user: User) -> None:
    key = DEMO_TOTP_KEYS.get(user.email)
    if key and not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="Demo", key=key, confirmed=True)


@transaction.atomic
def _build_moerwijk(stdout) -> Cooperative:
    coop = services.create_cooperative(
        actor=None,
        name="Wijk-BV Moerwijk-Oost",
        slug=SLUG,
        kvk_number="90412345",
        area_postcodes=["2532", "2533"],
        max_shares_per_member=10,
        max_votes_per_member=1,
        social_value_hourly_rate=("15.00", "EUR"),
        reinvestment_rule="Profit goes to the reinvestment reserve; residents vote on how it is spent.",
    )
    partners = {
        name: services.add_partner_organisation(
            coop, actor=None, name=name, sector=sector, description=description
        )
        for name, sector, description in PARTNERS
    }
    for name, kind, address, description in PLACES:
        services.add_place(
            coop, actor=None, name=name, kind=kind, address=address, description=description
        )
    for email, full_name, roles in PEOPLE:
        membership = services.register_resident(
            coop,
            actor=None,
            full_name=full_name,
            email=email,
            roles=roles,
            street_address="Moerweg 1",
            postcode="2533 AB",
            city="Den Haag",
        )
        _set_password(membership.user)
        _add_totp(membership.user)
    email, full_name, organisation = FUNDER
    membership = services.register_resident(
        coop,
        actor=None,
        full_name=full_name,
        email=email,
        roles=[Role.FUNDER],
        partner_organisation=partners[organisation],
    )
    _set_password(membership.user)
    rng = random.Random(2533)
    for number in range(RESIDENTS - len(PEOPLE)):
        full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        # About a third of the residents have no e-mail address: a coordinator acts for them.
        has_email = rng.random() > 0.33
        services.register_resident(
            coop,
            actor=None,
            full_name=full_name,
            email=f"bewoner{number + 1}@{DOMAIN}" if has_email else None,
            street_address=f"{rng.choice(STREETS)} {rng.randint(1, 400)}",
            postcode=f"{rng.choice(['2532', '2533'])} {rng.choice('ABCEGHJKLMNPRTVWXZ')}{rng.choice('ABCEGHJKLMNPRTVWXZ')}",
            city="Den Haag",
        )
    stdout.write(f"  {coop.name}: {coop.memberships.count()} members")
    return coop


@transaction.atomic
def _build_second(stdout) -> Cooperative:
    """A small second cooperative, so the cooperative switcher has something to switch to."""
    coop = services.create_cooperative(
        actor=None,
        name="Buurt-BV Transvaal-Noord",
        slug=SECOND_SLUG,
        kvk_number="90467890",
        area_postcodes=["2571"],
    )
    services.add_place(coop, actor=None, name="Buurthuis De Mussen", kind=PlaceKind.COMMUNITY_ROOM)
    coordinator = _demo_user(f"coordinator@{DOMAIN}")
    services.register_resident(
        coop, actor=None, full_name="Joyce Pinas", roles=[Role.RESIDENT, Role.BOARD]
    )
    # The coordinator of Moerwijk-Oost helps out here too: one person, two cooperatives.
    services.add_member(coop, actor=None, user=coordinator, roles=[Role.COORDINATOR])
    stdout.write(f"  {coop.name}: {coop.memberships.count()} members")
    return coop


def build(stdout) -> None:
    if not Cooperative.objects.filter(slug=SLUG).exists():
        _build_moerwijk(stdout)
    else:
        stdout.write(f"  {SLUG} is already there")
    if not Cooperative.objects.filter(slug=SECOND_SLUG).exists():
        _build_second(stdout)
    if not User.objects.filter(email="beheer@wijkbv.example").exists():
        admin = User.objects.create_superuser(
            email="beheer@wijkbv.example", password=PASSWORD, full_name="Site beheer"
        )
        _add_totp(admin)
