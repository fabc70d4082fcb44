import pytest
from rest_framework.authtoken.models import Token

from members import services
from wijkbv.errors import NotAllowed

pytestmark = pytest.mark.django_db


def test_a_new_token_replaces_the_old_one(hood):
    first = services.renew_api_token(hood.alice, actor=hood.alice)
    second = services.renew_api_token(hood.alice, actor=hood.alice)
    assert first.key != second.key
    assert list(Token.objects.filter(user=hood.alice).values_list("key", flat=True)) == [second.key]


def test_nobody_makes_a_token_for_someone_else(hood):
    with pytest.raises(NotAllowed):
        services.renew_api_token(hood.alice, actor=hood.bob)
    assert not Token.objects.filter(user=hood.alice).exists()
