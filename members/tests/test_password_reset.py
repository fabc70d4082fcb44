import re

import pytest
from django.core import mail

from members.models import User

pytestmark = pytest.mark.django_db


def test_a_person_resets_their_password_by_email(hood, client):
    response = client.post("/account/password-reset/", {"email": "alice@example.org"})
    assert response.url == "/account/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body).group(
        1
    )
    form_url = client.get(link).url
    response = client.post(
        form_url,
        {
            "new_password1": "een-nieuw-lang-wachtwoord",
            "new_password2": "een-nieuw-lang-wachtwoord",
        },
    )
    assert response.url == "/account/password-reset/complete/"
    assert User.objects.get(pk=hood.alice.pk).check_password("een-nieuw-lang-wachtwoord")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(hood, client):
    response = client.post("/account/password-reset/", {"email": "nobody@example.org"})
    assert response.url == "/account/password-reset/sent/"
    assert mail.outbox == []


def test_a_used_link_says_it_no_longer_works(hood, client):
    client.post("/account/password-reset/", {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", mail.outbox[0].body).group(
        1
    )
    form_url = client.get(link).url
    client.post(
        form_url,
        {
            "new_password1": "een-nieuw-lang-wachtwoord",
            "new_password2": "een-nieuw-lang-wachtwoord",
        },
    )
    response = client.get(link, follow=True)
    assert "Deze link werkt niet meer" in response.text
