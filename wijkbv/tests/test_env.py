import pytest

from wijkbv.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("OFF", False), ("0", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("X", raw)
    assert env_bool("X", default=not value) is value


def test_env_bool_fails_loudly_on_anything_else(monkeypatch):
    monkeypatch.setenv("X", "maybe")
    with pytest.raises(ImproperlyConfiguredEnv, match="X must be one of"):
        env_bool("X", default=False)


def test_env_int_fails_loudly_on_a_non_number(monkeypatch):
    monkeypatch.setenv("X", "ten")
    with pytest.raises(ImproperlyConfiguredEnv, match="X must be a whole number"):
        env_int("X", default=1)


def test_env_list_refuses_an_empty_item(monkeypatch):
    monkeypatch.setenv("X", "a.example,,b.example")
    with pytest.raises(ImproperlyConfiguredEnv, match="empty item"):
        env_list("X", default=[])


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("X", "a.example, b.example")
    assert env_list("X", default=[]) == ["a.example", "b.example"]


def test_env_str_without_default_is_required(monkeypatch):
    monkeypatch.delenv("X", raising=False)
    with pytest.raises(ImproperlyConfiguredEnv, match="X must be set"):
        env_str("X")
