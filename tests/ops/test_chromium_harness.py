"""The headless-browser harness copes with a browser that does its work and never exits,
and with the net log such a browser leaves unclosed."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.chromium import MIN_SCREENSHOT_BYTES, _events, _run_browser

# Writes a screenshot and a DOM as Chromium does, then hangs as Chromium has been seen to.
LINGERING_BROWSER = """
import sys, time
from pathlib import Path

import pytest
Path(sys.argv[1]).write_bytes(b"x" * {size})
sys.stdout.write("<html><body>rendered</body></html>\\n")
sys.stdout.flush()
time.sleep(600)
"""


def test_a_browser_that_never_exits_after_its_work_is_stopped(tmp_path: Path) -> None:
    script = tmp_path / "browser.py"
    script.write_text(LINGERING_BROWSER.format(size=MIN_SCREENSHOT_BYTES))
    shot = tmp_path / "shot.png"
    started = time.monotonic()
    dom = _run_browser([sys.executable, str(script), str(shot)], shot, timeout=60, linger=0.5)
    assert "rendered" in dom
    assert time.monotonic() - started < 30


def test_a_browser_that_hangs_without_its_screenshot_is_given_up_on_early(
    tmp_path: Path,
) -> None:
    script = tmp_path / "browser.py"
    script.write_text(LINGERING_BROWSER.format(size=10))  # a blank screenshot: not done
    shot = tmp_path / "shot.png"
    command = [sys.executable, str(script), str(shot)]
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        _run_browser(command, shot, attempts=1, timeout=60, linger=0.5)
    assert time.monotonic() - started < 30


def test_a_browser_that_does_nothing_times_out(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    command = [sys.executable, "-c", "import time; time.sleep(600)"]
    with pytest.raises(subprocess.TimeoutExpired):
        _run_browser(command, shot, attempts=2, timeout=1, linger=0.1)


def test_a_net_log_cut_short_still_gives_its_events() -> None:
    events = [{"params": {"url": f"http://127.0.0.1/{n}"}, "phase": 0, "type": 2} for n in range(3)]
    whole = '{"constants": {},\n"events": [\n' + ",\n".join(map(json.dumps, events)) + "]}"
    assert _events(whole) == json.loads(whole)["events"] == events
    cut = whole[: whole.index(json.dumps(events[2])) + 20]
    assert _events(cut) == events[:2]
