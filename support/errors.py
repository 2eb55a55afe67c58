"""What the support domain refuses, with a code the screens turn into a message."""
from __future__ import annotations


class SupportError(Exception):
    """Bad input: ``code`` names the rule (the field), the message says it in English for logs and tests."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


class SupportForbidden(Exception):
    """The signed-in person may not do this with this case."""
