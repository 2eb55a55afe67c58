"""What the community domain refuses, with a code the screens turn into a message."""
from __future__ import annotations


class CommunityError(Exception):
    """Bad input: ``code`` names the field or rule, the message says it in English for logs and tests."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


class CommunityForbidden(Exception):
    """The signed-in person may not do this (or see this item: the screens answer 404)."""
