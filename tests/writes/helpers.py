"""Keys and bodies for write tests."""

from typing import Any

from sqlmodel import Session

from api.models.auth import Scope
from api.services.auth import create_key


def bearer(session: Session, name: str = "curator", scope: Scope = Scope.write) -> dict[str, str]:
    _record, key = create_key(session, name=name, scope=scope)
    # Release the test's savepoint: a failing request rolls back only its own work.
    session.commit()
    return {"Authorization": f"Bearer {key}"}


def observation(**changes: Any) -> dict[str, Any]:
    return {
        "key": "ai-accelerators-cn-2026",
        "indicator_key": "ai-accelerators",
        "country": "CN",
        "period": "2026",
        "value": 6_000_000,
        "qualifier": "about",
        "status": "projected",
        "source_key": "insikt-2025-us-china-ai-gap",
        "source_location": "a later data drop, table 2",
        **changes,
    }


def accelerators_us_2025(value: float) -> dict[str, object]:
    """The seeded US accelerators projection with another value: a PUT body."""
    return {
        "key": "ai-accelerators-us-2025",
        "indicator_key": "ai-accelerators",
        "country": "US",
        "period": "2025",
        "value": value,
        "qualifier": "more_than",
        "status": "projected",
        "source_location": "section High-Performance Computing",
        "cited_source": "SemiAnalysis and CSIS",
    }


# Budgets counted in a test fit one rate-limit window: with the default 60 s window, a test
# that crossed a minute boundary found its budget reset (a flaky 201 where a 429 was due).
ONE_WINDOW = 86_400  # seconds
