import pytest
from django.apps import apps

from wijkbv.payments import apps as payments_apps
from wijkbv.payments import handlers


def noop(*args, **kwargs):
    pass


@pytest.fixture
def registered():
    handlers.register("kas.expense", succeeded=noop, refunded=noop)
    yield
    handlers.unregister("kas.expense")


def test_it_finds_the_handlers_of_a_subject(registered):
    found = handlers.handlers_for("kas.expense:12")

    assert found.succeeded is noop and found.refunded is noop


def test_it_names_a_subject_without_handlers():
    with pytest.raises(LookupError, match="'kas.nothing'"):
        handlers.handlers_for("kas.nothing:1")


def test_a_label_has_no_primary_key():
    with pytest.raises(ValueError, match="no primary key"):
        handlers.register("kas.expense:1", succeeded=noop, refunded=noop)


def test_the_app_looks_for_a_payments_module_in_every_app(monkeypatch):
    looked_for = []
    monkeypatch.setattr(payments_apps, "autodiscover_modules", looked_for.append)

    apps.get_app_config("payments").ready()

    assert looked_for == ["payments"]
