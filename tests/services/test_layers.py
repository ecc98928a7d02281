"""The layers hold: services and charts load no web framework, and services draw no markup."""

import re
from pathlib import Path

from api import PROJECT_ROOT
from tests.imports import loaded_by

SERVICES = PROJECT_ROOT / "api" / "services"
MARKUP = re.compile(r"<(svg|html|div|table|tr|td|g|path|rect|text)[\s>/]")


def test_services_and_charts_import_no_web_framework() -> None:
    modules = [f"api.services.{p.stem}" for p in sorted(SERVICES.glob("*.py"))]
    modules += ["api.charts.specs", "api.charts.render", "api.errors"]
    assert loaded_by(modules, ("fastapi", "starlette")) == []


def test_services_render_no_markup() -> None:
    drawn = {
        str(path.relative_to(PROJECT_ROOT)): found.group(0)
        for path in sorted(SERVICES.glob("*.py"))
        if (found := MARKUP.search(Path(path).read_text()))
    }
    assert drawn == {}
