"""Small helpers shared by the web views of every app."""

from wijkbv.errors import DomainError

_FAILED = object()


def call_service(form, service, *args, **kwargs):
    """Call a service; turn a domain error into a form error on the same page.

    Returns the service's result, or `call_service.FAILED` when the form now carries the error."""
    try:
        return service(*args, **kwargs)
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, str(exc.message))
        return _FAILED


call_service.FAILED = _FAILED
