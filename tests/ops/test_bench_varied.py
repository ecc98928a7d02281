"""The pure parts of bench/varied_traffic.py: the generated questions and the Zipf CDF."""

import itertools
import random
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.observation_list import PAGE_SIZE
from bench.varied_traffic import broad_pairs, one_series_pairs, zipf_cdf


def _query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_one_series_pairs_are_distinct_and_ask_the_same_question() -> None:
    series = [(f"gen-funding-{i:04d}", country) for i in range(60) for country in ("US", "CN")]
    pairs = one_series_pairs(series, 100, seed=3)
    assert len(pairs) == len(set(pairs)) == 100
    for ours, theirs in pairs:
        mine, other = _query(ours), _query(theirs)
        assert (mine["indicator"], mine["country"]) in series
        assert (mine["indicator"], mine["country"]) == (other["indicator_key"], other["country"])
        assert mine["limit"] == other["_size"] == str(PAGE_SIZE)
        assert (other["valid_to__isnull"], other["retired"]) == ("1", "0")
    assert one_series_pairs(series, 100, seed=3) == pairs  # deterministic
    with pytest.raises(ValueError, match="only 120 series"):
        one_series_pairs(series, 121)


def test_broad_pairs_are_distinct_with_datasettes_keyset_for_later_pages() -> None:
    rng = random.Random(5)
    rows: list[tuple[int, str, str, str | None]] = [
        (
            row_id,
            rng.choice(["US", "CN", "GB"]),
            rng.choice(["actual", "actual", "estimate"]),
            f"{rng.randint(2000, 2025)}-12-31",
        )
        for row_id in range(1, 20_001)
    ]
    rows.append((20_001, "US", "actual", None))  # no period end: never matches `from`
    found = broad_pairs(rows, 200, seed=2, min_total=500)
    pairs = [pair for pair, _total in found]
    assert len(pairs) == len(set(pairs)) == 200
    pages = set()
    for (ours, theirs), total in found:
        mine, other = _query(ours), _query(theirs)
        assert (mine["country"], mine["status"]) == (other["country"], other["status"])
        assert mine["from"] == other["period_end__gte"]
        matching = sorted(
            row_id
            for row_id, country, status, end in rows
            if (country, status) == (mine["country"], mine["status"])
            and end is not None
            and end >= mine["from"]
        )
        assert total == len(matching) >= 500
        page = int(mine.get("page", "1"))
        pages.add(page)
        assert total > (page - 1) * PAGE_SIZE
        if page == 1:
            assert "_next" not in other
        else:  # Datasette's next page starts after the previous page's last id
            assert int(other["_next"]) == matching[(page - 1) * PAGE_SIZE - 1]
    assert pages == {1, 2, 3}


def test_zipf_cdf() -> None:
    cdf = zipf_cdf(2000, 1.1)
    assert len(cdf) == 2000
    assert cdf[-1] == 1.0
    assert all(a < b for a, b in itertools.pairwise(cdf))
    weights = [1 / k**1.1 for k in range(1, 2001)]
    assert cdf[0] == pytest.approx(weights[0] / sum(weights))
    assert cdf[1] - cdf[0] == pytest.approx(cdf[0] / 2**1.1)
    assert 0.1 < cdf[0] < 0.2  # the top question: about 14% of the draws
