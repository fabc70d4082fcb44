"""The project's URL patterns, walked from the URL configuration, and a URL for each."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.authorization_matrix import SAMPLE_KWARGS, Samples


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
