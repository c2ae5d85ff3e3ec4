"""render writes each document atomically and flushes them to disk once for the
run, not once per document; what it writes is the same."""

from __future__ import annotations

import os

import pytest
from printing import checked, write_printed

from safetrain.archive.writing import atomic
from safetrain.reports import render as render_module
from safetrain.reports.render import render_documents


@pytest.fixture
def printed(make_archive):
    return write_printed(make_archive)


def test_one_flush_for_the_run(printed, tmp_path, monkeypatch):
    fsyncs, flushed = [], []
    monkeypatch.setattr(os, "fsync", lambda fd: fsyncs.append(fd))
    real_flush = atomic.flush
    monkeypatch.setattr(atomic, "flush", lambda paths: (flushed.append(list(paths)), real_flush(paths)))
    files = render_documents(checked(printed), "session", out_dir=tmp_path / "out", everything=True, workers=1)
    assert fsyncs == [] or not hasattr(os, "sync")  # the run's one flush is os.sync where there is one
    assert flushed == [files]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f.name for f in files)  # no temporary file


def test_a_document_appears_whole_or_not_at_all(printed, tmp_path, monkeypatch):
    """The file under its name is complete when it appears: written beside it, then renamed."""
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        assert not os.path.exists(dst) or os.path.getsize(dst) > 0
        seen.append((os.path.basename(str(src)).startswith("."), os.path.getsize(src)))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    files = render_documents(checked(printed), "person", out_dir=tmp_path, everything=True, workers=1)
    assert len(seen) == len(files) and all(hidden and size > 1000 for hidden, size in seen)


def test_the_same_bytes_as_a_durable_write(printed, tmp_path, monkeypatch):
    result = checked(printed)
    quick = render_documents(result, "person", out_dir=tmp_path / "a", everything=True, workers=2)
    real_write = atomic.write_bytes
    monkeypatch.setattr(atomic, "write_bytes", lambda path, data, durable=True: real_write(path, data))
    monkeypatch.setattr(render_module.atomic, "write_bytes", atomic.write_bytes)
    durable = render_documents(result, "person", out_dir=tmp_path / "b", everything=True, workers=1)
    assert [p.read_bytes() for p in quick] == [p.read_bytes() for p in durable]


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_render_says_how_many_documents_it_wrote(printed, tmp_path, monkeypatch, workers):
    """Ctrl-C half-way said only 已中断: it says how many documents of the run were written (each
    whole, flushed), counting none left from an earlier run."""
    from safetrain.errors import Interrupted

    result = checked(printed)
    out = tmp_path / "out"
    first = render_documents(result, "person", out_dir=out, everything=True, workers=1)
    assert len(first) >= 3
    real_write = atomic.write_bytes
    written = []

    def third_interrupts(path, data, durable=True):
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(path)
        return real_write(path, data, durable=durable)

    monkeypatch.setattr(render_module.atomic, "write_bytes", third_interrupts)
    monkeypatch.setattr(render_module, "POOL_THRESHOLD", 1)
    with pytest.raises(Interrupted) as caught:
        render_documents(result, "person", out_dir=out, everything=True, workers=workers, force=True)
    assert caught.value.zh.startswith(f"中断前已生成 2 个文件（共 {len(first)} 个，每个文件都完整）"), caught.value.zh
    assert caught.value.en.startswith(f"2 of {len(first)} documents were written before it, each whole")
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first)  # no temporary file left
