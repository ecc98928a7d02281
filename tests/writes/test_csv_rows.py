"""An import reads a CSV's rows as csv.DictReader reads them (api/services/imports.py
reads them without DictReader's dict per row): these hold the two to the same rows."""

import csv
import io

import pytest

from api.errors import InvalidData
from api.services.imports import read_rows


def _as_dict_reader_reads(body: bytes) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    rows = []
    for values in reader:
        assert None not in values, "longer than the header: refused, tested below"
        rows.append((reader.line_num, {k.strip(): (v or "").strip() for k, v in values.items()}))
    return rows


@pytest.mark.parametrize(
    "body",
    [
        b"a,b,c\n1,2,3\n",
        b"a,b,c\n1,2\n\n4,5,6\n",  # a short row, a blank line
        b"a, b ,c\r\n 1 , 2 ,3\r\n",
        b'a,b\n"x\ny",2\n3,4\n',  # a quoted newline: the line numbers move on
        b"\xef\xbb\xbfa,b\n1,2\n",
        b"a,b\n1,2\n\n\n",
        b"a,b,c\n,,\n",
        b'a,b\n"unterminated,2\n',
    ],
)
def test_rows_are_those_dict_reader_reads(body: bytes) -> None:
    rows = [(row.line, row.values) for row in read_rows(body, ("a",))]
    assert rows == _as_dict_reader_reads(body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"a,b\n1,2,3\n", "more fields than the header has"),
        (b"a,b\n", "no data rows after the header"),
        (b"\n\na,b\n1,2\n", "missing column(s): a; required: a"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidData) as refused:
        read_rows(body, ("a",))
    assert [error["reason"] for error in refused.value.extensions["errors"]] == [reason]
