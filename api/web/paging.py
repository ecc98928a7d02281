"""RFC 8288 Link headers for paged lists."""

import math

from fastapi import Request


def link_header(request: Request, *, page: int, limit: int, total: int) -> str:
    """Relative references (RFC 3986 4.2): the Host header is never echoed back, and the
    query string is bounded by AIGAP_MAX_QUERY_BYTES, so the header stays small."""
    last = max(1, math.ceil(total / limit))
    pages = {"first": 1, "last": last}
    if page > 1:
        pages["prev"] = min(page - 1, last)
    if page < last:
        pages["next"] = page + 1
    links = []
    for rel, number in pages.items():
        url = request.url.include_query_params(page=number)
        links.append(f'<{url.path}?{url.query}>; rel="{rel}"')
    return ", ".join(links)
