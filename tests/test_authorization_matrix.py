"""Every URL pattern, asked in every role, answers as tests/authorization_matrix.py says."""

import re
from dataclasses import dataclass

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from members import services
from members.models import Role
from tests.authorization_matrix import GROUPS, MATRIX, ROLES, SAMPLE_KWARGS, Redirect, Samples
from wijkbv.testing import PERSONA_ROLE

PERSONA = {role: name for name, role in PERSONA_ROLE.items()} | {"anonymous": None}


@dataclass(frozen=True)
class Pattern:
    """One URL pattern with everything needed to name it and to build a URL for it."""

    key: str  # "namespace:name", or "namespace:<route>" for a pattern without a name
    parts: tuple  # the pattern objects from the root down to this pattern

    @property
    def route(self) -> str:
        """As Django's ResolverMatch.route writes it."""
        return "".join(str(part).removeprefix("^") for part in self.parts)


def discover_patterns(resolver=None) -> list[Pattern]:
    """Every URL pattern under `resolver` (the project's URL configuration by default)."""
    found = []

    def walk(resolver, namespace, parts):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, inner, (*parts, entry.pattern))
            elif isinstance(entry, URLPattern):
                here = (*parts, entry.pattern)
                route = "".join(str(part) for part in here)
                key = f"{namespace}{entry.name}" if entry.name else f"{namespace}<{route}>"
                found.append(Pattern(key, here))

    walk(resolver or get_resolver(), "", ())
    return found


def expected_answers(key: str):
    if key in MATRIX:
        return MATRIX[key]
    for prefix, answers in GROUPS.items():
        if key.startswith(prefix):
            return answers
    return None


def table_problems(patterns: list[Pattern]) -> list[str]:
    """What is wrong with the table itself: patterns without a row, rows without a pattern,
    and rows of the wrong length."""
    problems = []
    keys = {pattern.key for pattern in patterns}
    for pattern in patterns:
        if expected_answers(pattern.key) is None:
            problems.append(
                f"URL pattern {pattern.key!r} ({pattern.route}) has no row in "
                "tests/authorization_matrix.py: add one to MATRIX saying what each role gets "
                "from a GET (and, if it has URL parameters, sample values to SAMPLE_KWARGS)."
            )
    for key in sorted(set(MATRIX) - keys):
        problems.append(f"MATRIX has a row for {key!r}, but no URL pattern has that name.")
    for key, answers in MATRIX.items():
        if len(answers) != len(ROLES):
            problems.append(
                f"MATRIX row {key!r} has {len(answers)} answers for {len(ROLES)} roles."
            )
    return problems


_PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^()]*\)")


def sample_url(pattern: Pattern, samples: Samples) -> str:
    """A URL that the pattern matches, with parameters from SAMPLE_KWARGS or from defaults."""
    override = SAMPLE_KWARGS.get(pattern.key)
    values = {"slug": samples.slug} | (override(samples) if override else {})
    url = "/"
    for part in pattern.parts:
        if isinstance(part, RoutePattern):
            url += _PLACEHOLDER.sub(lambda m: str(values.get(m["name"], "1")), str(part))
        elif isinstance(part, RegexPattern):
            regex = str(part).removeprefix("^").removesuffix("$")
            url += _REGEX_GROUP.sub(lambda m: str(values.get(m["name"], "1")), regex)
        else:  # pragma: no cover - Django has no third kind of pattern today
            raise TypeError(f"cannot build a URL for {part!r}")
    return url


def answer_of(response) -> int | Redirect:
    if response.status_code == 302:
        return Redirect(response["Location"])
    return response.status_code


def matches(expected, got) -> bool:
    if isinstance(expected, Redirect):
        return isinstance(got, Redirect) and got.to.startswith(expected.to)
    return expected == got


@pytest.fixture
def samples(hood):
    invitation, token = services.invite_member(
        hood.cooperative, actor=None, email="new@example.org", roles=[Role.RESIDENT]
    )
    return Samples(
        slug=hood.cooperative.slug,
        member_number=hood.membership("alice").member_number,
        invitation_pk=invitation.pk,
        invitation_token=token,
    )


def test_every_url_pattern_has_a_row_in_the_matrix():
    problems = table_problems(discover_patterns())

    assert not problems, "\n".join(problems)


def test_it_reports_a_url_pattern_without_a_row():
    root = get_resolver()
    extended = URLResolver(
        RegexPattern(r"^/"),
        [*root.url_patterns, path("brand-new/", lambda request: HttpResponse(), name="brand-new")],
    )

    reported = set(table_problems(discover_patterns(extended)))
    new = reported - set(table_problems(discover_patterns(root)))

    assert len(new) == 1
    (problem,) = new
    assert "'brand-new' (brand-new/) has no row" in problem
    assert "add one to MATRIX" in problem


def test_it_builds_a_url_that_each_pattern_itself_matches(samples):
    wrong = []
    for pattern in discover_patterns():
        url = sample_url(pattern, samples)
        if resolve(url).route != pattern.route:
            wrong.append(f"{pattern.key}: {url} is answered by {resolve(url).route}")

    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_as_the_matrix_says(role, hood, samples):
    column = ROLES.index(role)
    wrong = []
    for pattern in discover_patterns():
        expected = expected_answers(pattern.key)
        if expected is None:
            continue  # reported by test_every_url_pattern_has_a_row_in_the_matrix
        url = sample_url(pattern, samples)
        got = answer_of(hood.client_for(PERSONA[role]).get(url))
        if not matches(expected[column], got):
            wrong.append(
                f"GET {url} ({pattern.key}) as {role}: expected {expected[column]}, got {got}"
            )

    assert not wrong, (
        f"{len(wrong)} answer(s) differ from tests/authorization_matrix.py:\n" + "\n".join(wrong)
    )
