"""Every URL pattern, asked in every role, answers as tests/authorization_matrix.py says."""

import pytest
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver, path, resolve
from django.urls.resolvers import RegexPattern

from tests.authorization_matrix import MATRIX, PERSONA, ROLES, Redirect, expected_answers
from tests.url_patterns import Pattern, discover_patterns, sample_url


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


def answer_of(response) -> int | Redirect:
    if response.status_code == 302:
        return Redirect(response["Location"])
    return response.status_code


def matches(expected, got) -> bool:
    if isinstance(expected, Redirect):
        return isinstance(got, Redirect) and got.to.startswith(expected.to)
    return expected == got


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
