"""The design tool's help: the table of BPMN constructs (design/constructs.py), what runs and what
the platform refuses and why, each with its program in the construct suite. docs/ENGINE.md holds
the same table."""
from __future__ import annotations

from flask import Blueprint, render_template

from design.constructs import CONSTRUCTS
from web.design.common import designer
from web.shell.screens import install_template_helpers

bp = Blueprint("design_help", __name__, template_folder="templates")
install_template_helpers(bp)


@bp.get("/design/hjalp/konstruktioner")
def constructs():
    designer()
    return render_template("design/help_constructs.html", constructs=CONSTRUCTS)
