"""The ledger is written through a file beside its target and rewritten without
being decompressed: the same bytes as in memory, nothing left behind."""

from __future__ import annotations

import io
import zipfile

from printing import checked, write_printed

from safetrain.reports import ooxml
from safetrain.reports.ledger import ledger_bytes, write_ledger


def test_written_file_is_the_bytes_and_leaves_nothing_beside_it(make_archive, tmp_path):
    result = checked(write_printed(make_archive))
    out = tmp_path / "out"
    out.mkdir()
    path = write_ledger(result, out / "台账.xlsx")
    assert sorted(p.name for p in out.iterdir()) == ["台账.xlsx"]
    assert path.read_bytes() == ledger_bytes(result)


def test_rewriting_without_decompressing_is_normalize_byte_for_byte(make_archive, tmp_path):
    result = checked(write_printed(make_archive))
    data = ledger_bytes(result)
    raw = tmp_path / "raw.xlsx"
    with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as w:
        for info in reversed(z.infolist()):  # another order, today's times: what openpyxl writes
            w.writestr(info.filename, z.read(info))
    buf = io.BytesIO()
    ooxml.normalize_file(raw, buf, "台账 标题", result.as_of)
    assert buf.getvalue() == ooxml.normalize(raw.read_bytes(), "台账 标题", result.as_of)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        assert z.testzip() is None
        assert all(info.date_time == ooxml.ZIP_TIME for info in z.infolist())
