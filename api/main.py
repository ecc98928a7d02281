"""The FastAPI application."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.routers import health, sources
from api.settings import Settings, get_settings

DESCRIPTION = """
The API of record for the US-China AI competition: every figure of *Measuring the US-China
AI Gap* (Insikt Group, May 2025) and later data drops, as sourced, versioned records grouped
by the report's six pillars. Errors are RFC 9457 `application/problem+json`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="aigap", version="0.1.0", description=DESCRIPTION)
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["*"],
            expose_headers=["ETag", "Link"],
        )
    app.include_router(health.router)
    app.include_router(sources.router)
    return app


app = create_app()
