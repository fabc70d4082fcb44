"""Shared pieces of the REST API."""

import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.urls.converters import get_converters
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from wijkbv.errors import DomainError


def exception_handler(exc, context):
    """A domain error becomes a 4xx answer with the same message the web page would show."""
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        code = status.HTTP_403_FORBIDDEN if exc.status_code == 403 else status.HTTP_400_BAD_REQUEST
        return Response(body, status=code)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        # Django refuses such a request while DRF reads it; without this it would be a 500.
        body = {"detail": _("The request holds too many fields or files."), "code": "too_many"}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        body = {"detail": _("The request is too big."), "code": "too_big"}
        return Response(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    """The body of a refusal: not logged in, not allowed, not found."""

    detail = serializers.CharField(help_text="Why the request was refused, for a person to read.")
    code = serializers.CharField(
        required=False, help_text="A stable name for the rule that refused it."
    )


# The tag of the endpoints anyone may read without logging in: the cooperative's open data.
OPEN_DATA = "Open data"


# A 400 carries either a domain error (`detail`, `code` and the `field` it is about) or, when
# the request did not parse, a list of messages per field (nested for lists and objects).
REFUSAL_SCHEMA = {
    "type": "object",
    "description": (
        "Why the request was refused: `detail` (with `code`, and `field` when the refusal is "
        "about one field), or for each field in error a list of messages."
    ),
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
    },
    "additionalProperties": {"oneOf": [{"type": "array"}, {"type": "object"}]},
}


# A parameter in a URL route (<slug:slug>) or a named group in a URL regex ((?P<pk>[0-9]+)).
_ROUTE_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_PARAMETER = re.compile(r"\(\?P<(\w+)>([^()]+)\)")


def _accepted_values(path_regex: str) -> dict[str, str]:
    """The regex each path parameter must match before Django calls the view."""
    converters = get_converters()
    accepted = dict(_REGEX_PARAMETER.findall(path_regex))
    for converter, name in _ROUTE_PARAMETER.findall(path_regex):
        accepted[name] = converters[converter or "str"].regex
    return accepted


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the refusals an operation can answer with, so that the
    schema lists every status code a client will meet:

    400 when the operation takes a request body (it may not parse, or a rule may refuse it),
    403 when it needs a login or a role, 404 when its path names something (a cooperative).

    Path parameters also get the pattern their URL converter accepts (a slug is letters,
    digits, - and _), since any other value never reaches the API.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self._add_path_patterns(operation.get("parameters", []), path_regex)
        responses = operation.setdefault("responses", {})
        for code, description, schema in self._refusals():
            responses.setdefault(
                str(code),
                {"description": description, "content": {"application/json": {"schema": schema}}},
            )
        return operation

    @staticmethod
    def _add_path_patterns(parameters, path_regex):
        accepted = _accepted_values(path_regex)
        for parameter in parameters:
            schema = parameter.get("schema", {})
            regex = accepted.get(parameter["name"])
            if parameter["in"] == "path" and regex and schema.get("type") == "string":
                schema.setdefault("pattern", f"^{regex}$")

    def _refusals(self):
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        if self.method in ("POST", "PUT", "PATCH"):
            refusal = ResolvedComponent(
                name="Refusal",
                type=ResolvedComponent.SCHEMA,
                schema=REFUSAL_SCHEMA,
                object="wijkbv.api.Refusal",
            )
            self.registry.register_on_missing(refusal)
            yield 400, "The request was refused; nothing was changed.", refusal.ref
        if any(permission is not AllowAny for permission in self.view.permission_classes):
            yield 403, "Not logged in, or not allowed to do this.", error
        if "{" in self.path:
            yield 404, "What the path names does not exist.", error
