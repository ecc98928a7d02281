"""API keys: made once and shown once, stored as a SHA-256 hash, looked up by prefix."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.errors import Conflict, NotFound
from api.models.auth import ApiKey, Scope
from api.models.base import utcnow

KEY_PREFIX = "aigap_"
PREFIX_LENGTH = 14  # "aigap_" and 8 random characters


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's name and scope."""

    name: str
    scope: Scope

    def allows(self, needed: Scope) -> bool:
        order = [Scope.read, Scope.write, Scope.admin]
        return order.index(self.scope) >= order.index(needed)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, *, name: str, scope: Scope) -> tuple[ApiKey, str]:
    """A new key; the clear text is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKey(
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        scope=scope,
        created_at=utcnow(),
    )
    session.add(record)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(f"a key named {name!r} already exists") from exc
    return record, key


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.id))))


def revoke_key(session: Session, name: str, now: datetime | None = None) -> ApiKey:
    record = session.exec(select(ApiKey).where(ApiKey.name == name)).first()
    if record is None:
        raise NotFound(f"no key named {name!r}")
    if record.revoked_at is None:
        record.revoked_at = now or utcnow()
        session.add(record)
        session.flush()
    return record


def authenticate(session: Session, key: str) -> Principal | None:
    """The key's principal, or None for an unknown or revoked key."""
    if not key.startswith(KEY_PREFIX) or len(key) < PREFIX_LENGTH:
        return None
    candidates = session.exec(
        select(ApiKey).where(ApiKey.prefix == key[:PREFIX_LENGTH], col(ApiKey.revoked_at).is_(None))
    ).all()
    digest = hash_key(key)
    for candidate in candidates:
        if hmac.compare_digest(candidate.key_hash, digest):
            return Principal(candidate.name, Scope(candidate.scope))
    return None
