"""What an API key may do. A module of its own, so that `aigap keys create --scope` can
offer the choices without importing the tables (api/cli.py starts every server's
supervisor)."""

from enum import StrEnum


class Scope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"
