"""The test for the architecture test: each rule of tests/support/architecture.py, run on a small
tree with one violation planted in it, reports that violation; a clean tree reports nothing. A rule
deleted or weakened makes its plants fail here."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import architecture

# A tree that keeps every rule, using what the rules allow: the facade's exports and engine.db,
# flask_sqlalchemy in engine/db.py, web in the worker's composition root and in cli, relative
# imports inside forms, re.compile (not the builtin), Flask in web and in the Alembic env, the
# standard library and the environment in settings, engine and forms in the designer functions,
# the environment copied for child processes in the timer benchmark.
CLEAN = {
    "engine/__init__.py": ('"""Facade."""\nfrom engine import clock\nfrom engine.ops import start\n'
                           '__all__ = ["clock", "start"]\n'),
    "engine/clock.py": "import datetime\n",
    "engine/ops.py": "import SpiffWorkflow\nimport sqlalchemy\nfrom engine.db import db\n",
    "engine/db.py": "from flask_sqlalchemy import SQLAlchemy\n",
    "engine/models.py": "from engine.db import db\n",
    "web/__init__.py": ("import flask\nfrom flask_babel import gettext\nimport engine\n"
                        "from engine import clock, start\n"
                        "from engine.db import db, UtcDateTime\nimport forms\nfrom tasks import actors\n"
                        "engine.start()\nengine.clock.now()\nengine.db.session\n"),
    "cli/__init__.py": "from web import create_app\nfrom cli import bench\nimport engine\nfrom engine import clock\n",
    "cli/bench.py": "from . import demo\n",
    "tasks/__init__.py": "import dramatiq\nimport engine\nfrom access import policy\n",
    "tasks/worker.py": "from web import create_app\nfrom tasks import actors\n",
    "forms/__init__.py": "import json\nimport marshmallow\nfrom markupsafe import Markup\nfrom .model import Form\n",
    "forms/model.py": "from __future__ import annotations\nimport re\nPATTERN = re.compile('x')\n",
    "access/__init__.py": "from engine import clock\nfrom engine.db import db\nimport sqlalchemy\n",
    "catalogue/__init__.py": "import engine\nfrom access import policy\n",
    "messaging/__init__.py": "", "notify/__init__.py": "from messaging import x\n",
    "migrations/env.py": "from flask import current_app\nfrom alembic import context\n",
    "settings/__init__.py": "import os\nfrom dataclasses import dataclass\nURL = os.environ.get('X')\n",
    "cli/bench_timers.py": "import os\nENV = dict(os.environ)\n",
    "designer_functions/__init__.py": "import engine\nimport forms\nfrom engine import clock\n",
}

# (the rule that must report it, the file, what is in it)
PLANTS = [
    ("spiffworkflow_only_in_engine", "web/views.py", "from SpiffWorkflow.bpmn import BpmnWorkflow\n"),
    ("spiffworkflow_only_in_engine", "access/spiff.py", "def f():\n    import SpiffWorkflow\n"),
    ("no_flask_below_web", "access/views.py", "import flask\n"),
    ("no_flask_below_web", "notify/texts.py", "from flask_babel import gettext\n"),
    ("no_flask_below_web", "engine/request.py", "from flask import g\n"),
    ("no_flask_below_web", "tasks/actors.py", "from werkzeug.exceptions import NotFound\n"),
    ("no_flask_below_web", "catalogue/forms.py", "from flask_wtf import FlaskForm\n"),
    ("no_flask_below_web", "messaging/db.py", "from flask_sqlalchemy import SQLAlchemy\n"),
    ("nothing_below_web_imports_web", "tasks/actors.py", "from web import create_app\n"),
    ("nothing_below_web_imports_web", "messaging/pages.py", "import web.shell.screens\n"),
    ("nothing_below_web_imports_web", "tasks/relative.py", "from .. import web\n"),
    ("nothing_below_web_imports_web", "migrations/env2.py", "from web import create_app\n"),
    ("engine_imports_no_other_package", "engine/access.py", "from access import policy\n"),
    ("engine_imports_no_other_package", "engine/outbox.py", "import dramatiq\n"),
    ("engine_imports_no_other_package", "engine/later.py", "def f():\n    from tasks import actors\n"),
    ("engine_imports_no_other_package", "engine/render.py", "import forms\n"),
    ("engine_imports_no_other_package", "engine/entry.py", "from catalogue.models import CatalogueEntry\n"),
    ("domain_imports_no_actors", "notify/send.py", "from tasks import notify_actors\n"),
    ("domain_imports_no_actors", "catalogue/later.py", "import dramatiq\n"),
    ("forms_stay_plain", "forms/store.py", "import sqlalchemy\n"),
    ("forms_stay_plain", "forms/clock.py", "from engine import clock\n"),
    ("settings_stay_plain", "settings/secrets.py", "from access import policy\n"),
    ("settings_stay_plain", "settings/yaml.py", "import yaml\n"),
    ("designer_functions_join_engine_and_forms", "designer_functions/notes.py", "from messaging import x\n"),
    ("designer_functions_join_engine_and_forms", "designer_functions/app.py", "from web import create_app\n"),
    ("engine_imports_no_other_package", "engine/score.py", "import designer_functions\n"),
    ("environment_read_only_in_settings", "notify/outbox.py", "import os\nSECONDS = os.environ.get('X')\n"),
    ("environment_read_only_in_settings", "tasks/broker.py", "import os\nURL = os.getenv('X')\n"),
    ("environment_read_only_in_settings", "web/config.py", "from os import environ\n"),
    ("environment_read_only_in_settings", "cli/demo.py", "import os\nos.environ['X'] = 'stub'\n"),
    ("only_cli_imports_cli", "web/demo.py", "from cli import demo\n"),
    ("only_cli_imports_cli", "tasks/main.py", "import cli.main\n"),
    ("engine_through_the_facade", "web/rows.py", "from engine.models import ProcessInstance\n"),
    ("engine_through_the_facade", "web/rows.py", "import engine.models\n"),
    ("engine_through_the_facade", "access/rows.py", "from engine import models\n"),
    ("engine_through_the_facade", "catalogue/rows.py", "from engine.queries import instance\n"),
    ("engine_through_the_facade", "cli/rows.py", "import engine\nROW = engine.models.ProcessInstance\n"),
    ("engine_through_the_facade", "cli/aliased.py", "import engine as e\nROW = e.ops.start\n"),
    ("engine_through_the_facade", "web/dotted.py", "import engine.db\nROW = engine.models.ProcessInstance\n"),
    ("engine_through_the_facade", "web/clock.py", "from engine.clock import now\n"),
    ("engine_through_the_facade", "migrations/rows.py", "from engine.models import ProcessInstance\n"),
    ("engine_through_the_facade", "web/dynamic.py", "import importlib\nimportlib.import_module('engine.models')\n"),
    ("no_eval_or_exec", "engine/expressions.py", "eval('1 + 1')\n"),
    ("no_eval_or_exec", "web/run.py", "exec('x = 1')\n"),
    ("no_eval_or_exec", "forms/code.py", "CODE = compile('1', 'f', 'eval')\n"),
    ("no_eval_or_exec", "tasks/run.py", "import builtins\nbuiltins.eval('1')\n"),
]


def plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_clean_tree_has_no_violations(tmp_path):
    assert [str(v) for v in architecture.check(plant(tmp_path, CLEAN))] == []


@pytest.mark.parametrize(("rule", "path", "source"), PLANTS, ids=[f"{r}:{p}" for r, p, _ in PLANTS])
def test_the_planted_violation_is_reported(tmp_path, rule, path, source):
    root = plant(tmp_path, CLEAN | {path: source})
    reported = {(v.rule, v.path) for v in architecture.check(root)}
    assert (rule, path) in reported, f"{rule} no longer catches {source!r} in {path}"


def test_every_rule_has_a_plant():
    assert {rule for rule, _, _ in PLANTS} == set(architecture.RULES)


def test_the_facade_is_what_engine_init_exports(tmp_path):
    root = plant(tmp_path, CLEAN)
    assert architecture.facade_names(root) == {"clock", "start"}
    # A name taken off __all__ is no longer the facade's.
    plant(root, {"engine/__init__.py": '__all__ = ["clock"]\n'})
    assert [v.detail for v in architecture.check(root, ["engine_through_the_facade"])] == [
        "imports engine.start", "uses engine.start"]
