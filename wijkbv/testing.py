"""Test personas: one small neighbourhood with a named person in every role.

    alice   resident                 bob     coordinator
    carol   board member             dave    treasurer
    erin    audit committee          frank   funder (for the municipality)
    olivia  member of another cooperative only

Board members and treasurers have a confirmed authenticator; `client_for` logs a persona in the
way the site would, second factor included.
"""

import datetime
from dataclasses import dataclass, field

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from members import services
from members.models import Cooperative, Membership, Role, Sector, User

PASSWORD = "a-long-test-password-42"


def today() -> datetime.date:
    """Today in the site's time zone, read when a test runs. A date kept in a module constant is
    read when the suite is collected, and a run that passes midnight would test yesterday."""
    return timezone.localdate()


def last_year() -> int:
    return today().year - 1


PERSONAS = {
    "alice": [Role.RESIDENT],
    "bob": [Role.RESIDENT, Role.COORDINATOR],
    "carol": [Role.RESIDENT, Role.BOARD],
    "dave": [Role.RESIDENT, Role.TREASURER],
    "erin": [Role.RESIDENT, Role.AUDIT_COMMITTEE],
    "frank": [Role.FUNDER],
}
# The role each persona stands for in the authorization matrix.
PERSONA_ROLE = {
    "alice": "resident",
    "bob": "coordinator",
    "carol": "board",
    "dave": "treasurer",
    "erin": "audit_committee",
    "frank": "funder",
    "olivia": "other_cooperative",
}


@dataclass
class Neighbourhood:
    cooperative: Cooperative
    other: Cooperative
    people: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name):
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)

    def membership(self, name: str) -> Membership:
        return Membership.objects.get(user=self.people[name], cooperative=self.cooperative)

    def client_for(self, name: str | None) -> Client:
        client = Client()
        if name is None:
            return client
        user = self.people[name]
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client


def _person(cooperative, name, roles, partner=None) -> User:
    membership = services.register_resident(
        cooperative,
        actor=None,
        full_name=f"{name.capitalize()} Test",
        email=f"{name}@example.org",
        roles=roles,
        partner_organisation=partner,
    )
    user = membership.user
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    if set(roles) & {Role.BOARD, Role.TREASURER}:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def build_neighbourhood() -> Neighbourhood:
    cooperative = services.create_cooperative(
        actor=None,
        name="Wijk-BV Teststad",
        slug="teststad",
        kvk_number="12345678",
        area_postcodes=["1234"],
    )
    other = services.create_cooperative(
        actor=None,
        name="Buurt-BV Elders",
        slug="elders",
        kvk_number="87654321",
        area_postcodes=["9876"],
    )
    municipality = services.add_partner_organisation(
        cooperative, actor=None, name="Gemeente Teststad", sector=Sector.GOVERNMENT
    )
    hood = Neighbourhood(cooperative=cooperative, other=other)
    for name, roles in PERSONAS.items():
        partner = municipality if Role.FUNDER in roles else None
        hood.people[name] = _person(cooperative, name, roles, partner)
    hood.people["olivia"] = _person(other, "olivia", [Role.RESIDENT, Role.BOARD])
    return hood
