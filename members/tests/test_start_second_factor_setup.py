import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from members import services
from wijkbv.errors import NotAllowed

pytestmark = pytest.mark.django_db


def test_it_gives_the_same_unconfirmed_device_until_confirmed(hood):
    first = services.start_second_factor_setup(hood.alice, actor=hood.alice)
    second = services.start_second_factor_setup(hood.alice, actor=hood.alice)
    assert first == second
    assert not first.confirmed


def test_nobody_sets_up_a_device_for_someone_else(hood):
    with pytest.raises(NotAllowed):
        services.start_second_factor_setup(hood.alice, actor=hood.bob)
    assert not TOTPDevice.objects.filter(user=hood.alice).exists()
