"""The layers hold: services and charts load no web framework, and services draw no markup."""

import re
import subprocess
import sys
from pathlib import Path

from api import PROJECT_ROOT

SERVICES = PROJECT_ROOT / "api" / "services"
MARKUP = re.compile(r"<(svg|html|div|table|tr|td|g|path|rect|text)[\s>/]")


def test_services_and_charts_import_no_web_framework() -> None:
    modules = [f"api.services.{p.stem}" for p in sorted(SERVICES.glob("*.py"))]
    modules += ["api.charts.specs", "api.charts.render", "api.errors"]
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette')))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_services_render_no_markup() -> None:
    drawn = {
        str(path.relative_to(PROJECT_ROOT)): found.group(0)
        for path in sorted(SERVICES.glob("*.py"))
        if (found := MARKUP.search(Path(path).read_text()))
    }
    assert drawn == {}
