"""The real app plus a bare endpoint, for benchmarks that need a same-server baseline."""

from fastapi import Response

from api.main import create_app

app = create_app()
BODY_SIZE = {"size": 0}


@app.get("/bench/static/{size}", include_in_schema=False)
def static_body(size: int) -> Response:
    """A static JSON body of `size` bytes: no database, no computation."""
    return Response(b'{"x":"' + b"x" * max(0, size - 8) + b'"}', media_type="application/json")
