"""Jämför med publicerad version: the designer's preview of what the publisher's review will
show (design/review.py), for the head revision against the newest catalogue version of the same
program that the program's own publisher unit published. Read-only. The review itself is the
macro in templates/design/_review.html, which the publisher's review task page includes too."""
from __future__ import annotations

from flask import Blueprint, render_template

from design import coverage, published, review, store
from web.design.common import designer, program_or_refuse
from web.design.review_texts import TEMPLATE_GLOBALS
from web.shell.screens import install_template_helpers

bp = Blueprint("design_review", __name__, template_folder="templates")
install_template_helpers(bp)
for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)


@bp.get("/design/program/<program_id>/jamfor")
def compare(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    base = published.published_base(principal, found.id)
    content = review.review_content(base.files, store.files(principal, found.id))
    return render_template("design/review.html", program=found, base=base, review=content,
                           coverage=coverage.of_revision(principal, found.id))
