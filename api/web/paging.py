"""RFC 8288 Link headers for paged lists."""

import math

from fastapi import Request


def link_header(request: Request, *, page: int, limit: int, total: int) -> str:
    last = max(1, math.ceil(total / limit))
    pages = {"first": 1, "last": last}
    if page > 1:
        pages["prev"] = min(page - 1, last)
    if page < last:
        pages["next"] = page + 1
    links = [
        f'<{request.url.include_query_params(page=number)}>; rel="{rel}"'
        for rel, number in pages.items()
    ]
    return ", ".join(links)
