"""Refusals from the catalogue. The message is English for logs and callers; ``code`` lets a
screen show the refusal in the visitor's language without parsing the message."""
from __future__ import annotations


class CatalogueError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
