import pytest

pytestmark = pytest.mark.django_db


def test_a_missing_api_address_answers_in_json(client):
    response = client.get("/api/v1/c/not_a_slug!/places/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Niet gevonden."}


def test_a_missing_page_answers_with_the_site_page(client):
    response = client.get("/nergens/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
