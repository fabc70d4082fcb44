import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp

from members.demo import DEMO_TOTP_KEYS, FUNDER, PASSWORD, PEOPLE
from members.models import Cooperative, Membership, User
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
        Cooperative.objects.count(),
    )


@pytest.fixture
def demo():
    call_command("demo", stdout=io.StringIO())


def test_it_builds_a_realistic_neighbourhood(demo):
    coop = Cooperative.objects.get(slug="moerwijk-oost")
    residents = coop.memberships.filter(is_resident=True).count()
    assert 140 <= residents <= 160
    for flag in ["is_coordinator", "is_board", "is_treasurer", "is_audit_committee", "is_funder"]:
        assert coop.memberships.filter(**{flag: True}).exists(), flag
    assert {p.kind for p in coop.places.all()} == {"community_room", "garden", "kitchen"}
    assert coop.partner_organisations.count() == 6
    # Some residents have no e-mail address: a coordinator acts for them.
    assert coop.memberships.filter(user__email__isnull=True).exists()


def test_running_it_twice_changes_nothing(demo):
    before = _snapshot()
    call_command("demo", stdout=io.StringIO())
    assert _snapshot() == before


@pytest.mark.parametrize("email", [p[0] for p in PEOPLE] + [FUNDER[0]])
def test_every_role_can_log_in(demo, client, settings, email):
    settings.DEBUG = True  # demo_code works on a development site only
    response = client.post("/account/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    if email in DEMO_TOTP_KEYS:
        code = io.StringIO()
        call_command("demo_code", email, stdout=code)
        assert code.getvalue().strip() == f"{totp(bytes.fromhex(DEMO_TOTP_KEYS[email])):06d}"
        client.post("/account/verify/", {"token": code.getvalue().strip()})
    assert client.get("/c/moerwijk-oost/").status_code == 200


def test_demo_code_refuses_on_a_production_site(demo, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development site"):
        call_command("demo_code", "bestuur@moerwijk-oost.example")


def test_demo_code_names_the_accounts_it_knows(demo, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="penningmeester@moerwijk-oost.example"):
        call_command("demo_code", "bewoner@moerwijk-oost.example")


def test_the_login_overview_names_every_role(demo):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for email, *_rest in PEOPLE:
        assert email in text
    assert "demo_code" in text
