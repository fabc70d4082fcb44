"""Shared pieces of the REST API."""

from rest_framework import status
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
    return drf_exception_handler(exc, context)
