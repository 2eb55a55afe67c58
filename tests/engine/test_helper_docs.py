"""The helpers designers' expressions may call, explained for the design tool: every helper of the
sandbox's own list is there, in its order, with a line in Swedish and in English, and so is the
one the platform registers (score), which explains itself when it registers."""
from __future__ import annotations

import designer_functions
import engine
from engine.sandbox_functions import FUNCTIONS


def test_every_helper_is_listed_and_explained_in_both_languages():
    designer_functions.install()
    helpers = engine.expression_helpers()
    assert [h.name for h in helpers][:len(FUNCTIONS)] == list(FUNCTIONS)
    assert "score" in [h.name for h in helpers]
    for helper in helpers:
        assert helper.call.startswith(helper.name + "(")
        assert helper.sv and helper.en and helper.sv != helper.en, helper.name

