"""The one domain error services raise, with a message a user can read."""


class DomainError(Exception):
    """A business rule refused the operation; `message` is translated and safe to show."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
