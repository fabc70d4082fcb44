import io

import pytest
from django.core.management import CommandError, call_command

from members.models import Cooperative

pytestmark = pytest.mark.django_db


def test_it_founds_a_cooperative():
    out = io.StringIO()
    call_command(
        "create_cooperative",
        "--name",
        "Wijk-BV Noord",
        "--slug",
        "noord",
        "--kvk",
        "12345678",
        "--postcodes",
        "2533, 2534 AB",
        stdout=out,
    )
    assert Cooperative.objects.get(slug="noord").area_postcodes == ["2533", "2534 AB"]
    assert "/c/noord/" in out.getvalue()


def test_a_bad_kvk_number_is_a_clear_error_and_nothing_is_written():
    with pytest.raises(CommandError, match="exactly 8 digits"):
        call_command("create_cooperative", "--name", "X", "--slug", "x", "--kvk", "123")
    assert not Cooperative.objects.exists()
