"""Fixed-window rate limits counted in the database, so every server process shares them."""

import math
import time

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from api.models.auth import RateLimitWindow


def hit(
    session: Session, bucket: str, *, limit: int, window_seconds: int, now: float | None = None
) -> int | None:
    """Count one request; None when within the limit, else seconds until the next window."""
    moment = time.time() if now is None else now
    start = int(moment // window_seconds * window_seconds)
    updated = session.exec(
        update(RateLimitWindow)
        .where(col(RateLimitWindow.bucket) == bucket, col(RateLimitWindow.window_start) == start)
        .values(hits=col(RateLimitWindow.hits) + 1)
    )
    if updated.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(RateLimitWindow(bucket=bucket, window_start=start, hits=1))
        except IntegrityError:  # another process made the window first
            return hit(session, bucket, limit=limit, window_seconds=window_seconds, now=now)
    hits = session.exec(
        select(RateLimitWindow.hits).where(
            RateLimitWindow.bucket == bucket, RateLimitWindow.window_start == start
        )
    ).one()
    if hits > limit:
        return max(1, math.ceil(start + window_seconds - moment))
    return None
