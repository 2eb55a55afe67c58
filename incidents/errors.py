"""What the incident domain refuses, with a code the screens turn into a message."""
from __future__ import annotations


class IncidentError(Exception):
    """Bad input: ``code`` names the rule, the message says it in English for logs and tests."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


class IncidentForbidden(Exception):
    """The signed-in person may not do this with this case."""
