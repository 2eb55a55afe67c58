"""Forms for human tasks: form-js JSON in, accessible HTML and validated data out.

Only marshmallow, markupsafe and the standard library are used here, so the
package can be tested and reused without Flask or the workflow engine.
"""
from .definition import load_form
from .library import builtin_form, builtin_form_names
from .model import Form, FormError
from .render import render_form
from .schema import build_schema, validate
from .scoring import InstrumentError, ScoreError, instrument, instrument_ids, score

__all__ = ["load_form", "Form", "FormError", "build_schema", "validate", "render_form",
           "builtin_form", "builtin_form_names", "instrument", "instrument_ids", "score",
           "InstrumentError", "ScoreError"]
