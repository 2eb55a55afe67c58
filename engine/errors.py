"""The engine's error tree. Web maps these to status codes; actors let them raise."""
from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Base of every error the engine facade raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One validation finding: where, which element, and a plain reason."""

    file: str
    element_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.element_id}: {self.reason}"


class ValidationFailed(EngineError):
    """A program package broke one or more rules; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFound(EngineError):
    """The instance, task, version or timer does not exist (or is not visible)."""


class TaskConflict(EngineError):
    """The task was already completed or changed by someone else (HTTP 409)."""


class Forbidden(EngineError):
    """The actor may not do this (checked inside the engine, not only in views)."""


class InvalidTaskData(EngineError):
    """Data for a task broke the platform's data rules (names, types, size)."""


class SandboxError(EngineError):
    """A designer expression was refused or failed in the restricted evaluator."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(message if line is None else f"line {line}: {message}")


class VersionRefused(EngineError):
    """A stored version no longer matches its content hash: its files, or the logic compiled from
    them, were changed in the database after it was published. It is never run."""

    def __init__(self, content_hash: str, reason: str):
        self.content_hash, self.reason = content_hash, reason
        super().__init__(f"version {content_hash[:12]} refused: {reason}")
