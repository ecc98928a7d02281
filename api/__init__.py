"""aigap: the API of record for the US-China AI competition."""

import gc
from pathlib import Path

# A process of this app builds most of its long-lived objects while importing; with
# Python's default first generation (700 objects) the collector walks them again and again,
# a quarter of the start-up (measured: importing api.cli and api.main, 1.06-1.41 s ->
# 0.84-1.06 s). The app keeps these thresholds while serving (api.main's lifespan).
GC_THRESHOLDS = (50_000, 20, 100)
gc.set_threshold(*GC_THRESHOLDS)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
ALEMBIC_DIR = PROJECT_ROOT / "alembic"
