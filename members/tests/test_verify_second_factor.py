import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from members import services
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_current_code_verifies(hood):
    device = TOTPDevice.objects.get(user=hood.carol)
    found = services.verify_second_factor(
        hood.carol, actor=hood.carol, token=f"{totp(device.bin_key):06d}"
    )
    assert found == device


def test_a_wrong_code_is_refused_and_counted(hood):
    device = TOTPDevice.objects.get(user=hood.carol)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    with pytest.raises(DomainError, match="not right"):
        services.verify_second_factor(hood.carol, actor=hood.carol, token=wrong)
    device.refresh_from_db()
    # django-otp throttles guessing: each failure lengthens the wait before the next try.
    assert device.throttling_failure_count == 1


def test_a_code_works_only_once(hood):
    device = TOTPDevice.objects.get(user=hood.carol)
    code = f"{totp(device.bin_key):06d}"
    services.verify_second_factor(hood.carol, actor=hood.carol, token=code)
    with pytest.raises(DomainError):
        services.verify_second_factor(hood.carol, actor=hood.carol, token=code)
