"""Every top-level Python package of the project is installed by ``pip install .``: a package
left out of pyproject's list works in the checkout's tests but not from an installed command
(``vardflode demo`` failed with "No module named 'design'" once)."""
from __future__ import annotations

import fnmatch
import tomllib

from tests.conftest import ROOT


def test_every_top_level_package_is_in_the_installed_list():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests")
    missing = [name for name in packages if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]
    assert missing == [], f"add these to [tool.setuptools.packages.find] include: {missing}"
