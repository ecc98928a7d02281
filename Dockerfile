# aigap: the API server. Build: docker build -t aigap .   Configure with AIGAP_* variables.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AIGAP_HOST=0.0.0.0 \
    AIGAP_PORT=8000

WORKDIR /app
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin aigap

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
COPY api/__init__.py api/__init__.py
RUN pip install --upgrade pip && pip install -e .

COPY alembic.ini ./
COPY alembic ./alembic
COPY seeds ./seeds
COPY api ./api
# Bytecode compiled once here: PYTHONDONTWRITEBYTECODE keeps a running container from
# writing it, so without this every worker of every start would compile the app again.
RUN pip install --no-deps -e . && python -m compileall -q api alembic \
    && chown -R aigap:aigap /app

USER aigap
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"

# Runs as PID 1 without a shell, so SIGTERM reaches uvicorn, which drains requests.
CMD ["aigap", "serve", "--workers", "2"]
