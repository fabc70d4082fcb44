"""Domain errors: a rule refused a change. The message is shown to the person as it is."""


class DomainError(Exception):
    """A domain rule refused the change. `field` names the form field it is about, if any."""

    status_code = 400

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self):
        return str(self.message)


class NotAllowed(DomainError):
    """The acting person may not do this here."""

    status_code = 403

    def __init__(self, message, *, code: str = "not_allowed"):
        super().__init__(message, code=code)
