"""A chart spec rendered by vl-convert: the SVG with its text alternative, or a PNG.

vl-convert draws the marks and labels each one from its `description`, but its SVG has no
root <title>/<desc> and no role="img". `accessible_svg` adds them in one place: role="img",
aria-labelledby naming a <title> (the chart's title) and a <desc> (its long description),
width 100% with the viewBox kept so it scales to its container, and a <title> on every
labelled mark so that a pointer over it shows the same words as hover text.

Renders are cached by the spec itself: it holds the data version and every input.
"""

import json
import threading
import xml.etree.ElementTree as ET
from hashlib import sha256
from typing import Any

from cachetools import LRUCache

SVG_NS = "http://www.w3.org/2000/svg"
VEGA_LITE_VERSION = "5.21"  # the specs declare the v5 schema
PNG_SCALE = 2
MARK_ROLE = "graphics-symbol"
UNHOVERED = {f"{{{SVG_NS}}}g", f"{{{SVG_NS}}}text"}
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

_renders: LRUCache[tuple[str, str], str | bytes] = LRUCache(maxsize=256)
_lock = threading.Lock()


def _digest(spec: dict[str, Any]) -> str:
    return sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def _cached(kind: str, spec: dict[str, Any], render: Any) -> Any:
    key = (kind, _digest(spec))
    with _lock:
        if key in _renders:
            return _renders[key]
    result = render(spec)
    with _lock:
        _renders[key] = result
    return result


def _vl_convert() -> Any:
    """The renderer, loaded with the first chart rather than with the server (8 MB)."""
    import vl_convert

    return vl_convert


def chart_svg(spec: dict[str, Any]) -> str:
    """The chart as a standalone, accessible SVG document."""
    return str(_cached("svg", spec, _render_svg))


def chart_png(spec: dict[str, Any]) -> bytes:
    """The chart as a PNG at twice its size, for slides and documents."""
    png: bytes = _cached(
        "png",
        spec,
        lambda s: _vl_convert().vegalite_to_png(s, vl_version=VEGA_LITE_VERSION, scale=PNG_SCALE),
    )
    return png


def _render_svg(spec: dict[str, Any]) -> str:
    text = spec["title"]["text"]
    title = " ".join(text) if isinstance(text, list) else text
    return accessible_svg(
        _vl_convert().vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION),
        spec["usermeta"]["chart_id"],
        title,
        spec["description"],
    )


def accessible_svg(svg: str, chart_id: str, title: str, description: str) -> str:
    root = ET.fromstring(svg)
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("id", chart_id)
    root.set("class", "chart")
    root.set("width", "100%")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_element = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{chart_id}-title"})
    title_element.text = title
    desc_element = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{chart_id}-desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    for mark in root.iter():
        label = mark.get("aria-label")
        # Shapes are hovered; axes, legends and titles are labelled groups, text reads itself.
        if mark.get("role") == MARK_ROLE and label and mark.tag not in UNHOVERED:
            hover = ET.Element(f"{{{SVG_NS}}}title")
            hover.text = label
            mark.insert(0, hover)
    return ET.tostring(root, encoding="unicode")
