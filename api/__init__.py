"""aigap: the API of record for the US-China AI competition."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
ALEMBIC_DIR = PROJECT_ROOT / "alembic"
