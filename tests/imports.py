"""What importing a module loads, asked of a fresh interpreter (this one has loaded
everything already)."""

import json
import subprocess
import sys

from api import PROJECT_ROOT


def loaded_by(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of `packages` (and their submodules) loaded by importing `modules`."""
    probe = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"packages = {packages!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "    if any(m == p or m.startswith(p + '.') for p in packages))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    found: list[str] = json.loads(done.stdout)
    return found
