import pytest

from members import services
from members.models import User
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def henk(hood):
    """A resident without e-mail, registered at the desk."""
    return services.register_resident(hood.cooperative, actor=hood.bob, full_name="Henk Bos")


def test_a_board_member_forgets_a_member_after_typing_the_number(hood, henk):
    client = hood.client_for("carol")
    url = f"/c/teststad/members/{henk.member_number}/forget/"
    assert "Lid 7 vergeten" in client.get(url).text

    response = client.post(url, {"confirmation": henk.member_number, "reason": "at the desk"})

    assert response.status_code == 302
    assert response["Location"] == "/c/teststad/members/"
    assert User.objects.get(pk=henk.user_id).full_name == "Oud-lid 7"
    assert "Oud-lid 7" in client.get("/c/teststad/members/").text


def test_the_wrong_number_forgets_nobody(hood, henk):
    response = hood.client_for("carol").post(
        f"/c/teststad/members/{henk.member_number}/forget/", {"confirmation": 1}
    )

    assert response.status_code == 200
    assert "Dit is niet het lidnummer van deze persoon" in response.text
    assert User.objects.get(pk=henk.user_id).full_name == "Henk Bos"
    assert not AuditEvent.objects.filter(action="member.forgotten").exists()


def test_the_member_list_offers_the_board_a_way_to_forget_a_member(hood, henk):
    response = hood.client_for("carol").get("/c/teststad/members/")

    assert f"/c/teststad/members/{henk.member_number}/forget/" in response.text


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "erin"])
def test_nobody_but_the_board_opens_the_page(hood, henk, name):
    response = hood.client_for(name).post(
        f"/c/teststad/members/{henk.member_number}/forget/",
        {"confirmation": henk.member_number},
    )

    assert response.status_code == 403
    assert User.objects.get(pk=henk.user_id).full_name == "Henk Bos"
