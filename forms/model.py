"""Data classes for a checked form: what definition.py produces and schema/render consume."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


class FormError(ValueError):
    """A form document we cannot use. `problems` is a list of (component_id, reason)."""

    def __init__(self, name: str, problems: list[tuple[str | None, str]]):
        self.name = name
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(
            f"{self.name}: {cid}: {reason}" if cid else f"{self.name}: {reason}"
            for cid, reason in self.problems
        )


@dataclass
class Option:
    label: str
    value: str | int
    label_en: str | None = None


@dataclass
class Component:
    type: str
    id: str
    key: str | None = None
    label: str = ""
    label_en: str | None = None
    description: str = ""
    description_en: str | None = None
    text: str = ""          # for `text` components
    text_en: str | None = None
    required: bool = False
    min: float | int | None = None
    max: float | int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern | None = None
    integer: bool = False   # number: whole numbers only
    step: str | None = None  # number: HTML step attribute
    options: list[Option] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)  # for `group`
    # A clinician's answer the resident reads (feedback on homework): properties.shown_to_resident
    shown_to_resident: bool = False

    def localized(self, attr: str, locale: str) -> str:
        """English text when asked for and present, Swedish otherwise."""
        if is_english(locale):
            en = getattr(self, attr + "_en")
            if en:
                return en
        return getattr(self, attr)

    @property
    def int_options(self) -> bool:
        return bool(self.options) and isinstance(self.options[0].value, int)


@dataclass
class Form:
    name: str
    components: list[Component]
    fields: list[Component]  # input components in document order, groups flattened

    def field(self, key: str) -> Component | None:
        return next((c for c in self.fields if c.key == key), None)


def is_english(locale: str | None) -> bool:
    return str(locale or "").lower().startswith("en")
