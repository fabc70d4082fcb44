import pytest
from django_otp.oath import totp

from members import services
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_right_code_confirms_the_device(hood):
    device = services.start_second_factor_setup(hood.alice, actor=hood.alice)
    services.confirm_second_factor(device, actor=hood.alice, token=f"{totp(device.bin_key):06d}")
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_leaves_the_device_unconfirmed(hood):
    device = services.start_second_factor_setup(hood.alice, actor=hood.alice)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    with pytest.raises(DomainError, match="not right") as info:
        services.confirm_second_factor(device, actor=hood.alice, token=wrong)
    assert info.value.field == "token"
    device.refresh_from_db()
    assert not device.confirmed
