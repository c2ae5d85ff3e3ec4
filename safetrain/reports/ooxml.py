"""Byte-identical Office files: fixed zip entry times and order, fixed core
properties (DESIGN.md: "the same archive gives ... byte-identical documents").

A .docx or .xlsx is a zip of XML parts. Word, python-docx and openpyxl stamp
the current time into the zip entries and into docProps/core.xml (created,
modified, last printed, revision, author); here every one of those is fixed,
to the as_of date for the dates and to "safetrain" for the author.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from datetime import date
from typing import BinaryIO, Callable, Iterable, Mapping
from xml.sax.saxutils import escape

from ..controls import drop_controls

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
CORE = "docProps/core.xml"
AUTHOR = "safetrain"


def zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def write_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of `entries` in the order given, every entry stamped with ZIP_TIME."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zip_info(name), data)
    return buf.getvalue()


class ZipPrefix:
    """A zip of the entries every document shares, compressed once; `plus(entries)`
    appends one document's own entries (zipfile's append mode rewrites only the
    central directory)."""

    def __init__(self, entries: Iterable[tuple[str, bytes]]):
        self.data = write_zip(entries)

    def plus(self, entries: Iterable[tuple[str, bytes]]) -> bytes:
        buf = io.BytesIO(self.data)
        with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
            for name, data in entries:
                z.writestr(zip_info(name), data)
        return buf.getvalue()


def ordered(names: Iterable[str]) -> list[str]:
    """[Content_Types].xml first (some readers expect it), then the rest in their given order."""
    names = list(names)
    first = [n for n in names if n == "[Content_Types].xml"]
    return first + [n for n in names if n != "[Content_Types].xml"]


def core_xml(title: str, when: date, subject: str = "") -> bytes:
    """docProps/core.xml with nothing that changes between runs."""
    stamp = f"{when.isoformat()}T00:00:00Z"
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(drop_controls(title))}</dc:title>"
        f"<dc:subject>{escape(drop_controls(subject))}</dc:subject>"
        f"<dc:creator>{AUTHOR}</dc:creator>"
        f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode("utf-8")


def written_by_safetrain(path, title_prefix: str = "") -> bool:
    """An Office file safetrain wrote and nobody saved since: its core properties name
    safetrain as author and as last editor (Word and Excel put the user there on
    saving), and its title starts with `title_prefix`. How an output command knows
    its own earlier output (archive/writing/outputs.py)."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            core = ElementTree.fromstring(z.read(CORE))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return False
    ns = {"dc": "http://purl.org/dc/elements/1.1/",
          "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
    creator, last = core.findtext("dc:creator", "", ns), core.findtext("cp:lastModifiedBy", "", ns)
    return creator == last == AUTHOR and core.findtext("dc:title", "", ns).startswith(title_prefix)


def read_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist() if not info.is_dir()]


def normalize(data: bytes, title: str, when: date, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite an Office zip deterministically: fixed times and order, fixed core properties."""
    entries = dict(read_entries(data))
    entries.update(replace or {})
    if CORE in entries:
        entries[CORE] = core_xml(title, when)
    return write_zip((name, entries[name]) for name in ordered(entries))


# -- rewriting a large file without decompressing it ------------------------------------------

_DOS_TIME = (ZIP_TIME[3] << 11) | (ZIP_TIME[4] << 5) | (ZIP_TIME[5] // 2)
_DOS_DATE = ((ZIP_TIME[0] - 1980) << 9) | (ZIP_TIME[1] << 5) | ZIP_TIME[2]
_LIMIT = 0xFFFFFFFF  # beyond it a zip needs Zip64 records, which this writer does not make


def normalize_file(src: str | os.PathLike, dst: BinaryIO, title: str, when: date,
                   fill: Mapping[str, Callable[[bytes], Iterable[bytes]]] | None = None) -> None:
    """`normalize` for a large file (a workbook of hundreds of thousands of rows): each
    entry's compressed bytes are copied as they are, under a fixed time and in the same
    order, and only the core properties are written anew; nothing is held in memory
    whole, nothing compressed twice. `write_zip`'s layout, byte for byte, when the
    entries were compressed by zipfile as write_zip does.

    `fill` names entries written anew from what they hold: `fill[name](data)` gives the
    new content in pieces, compressed into `dst` as they come (which must then be
    seekable: the entry's header gets its sizes afterwards). FILL_LEVEL is the fastest
    deflate: rows of XML shrink almost as well as at the default level, in less time."""
    fill = fill or {}
    with zipfile.ZipFile(src) as z, open(src, "rb") as fh:
        infos = {i.filename: i for i in z.infolist() if not i.is_dir()}
        if any(i.compress_size > _LIMIT or i.file_size > _LIMIT or i.compress_type not in (0, 8)
               for i in infos.values()):  # pragma: no cover - a workbook of more than 4 GB
            filled = {name: b"".join(make(z.read(name))) for name, make in fill.items()}
            dst.write(normalize(open(src, "rb").read(), title, when, filled))
            return
        central, offset, start = [], 0, dst.tell() if fill else 0
        for name in ordered(infos):
            info = infos[name]
            encoded = name.encode("utf-8")
            flags = 0x800 if not name.isascii() else 0
            if name in fill:  # compressed straight into dst; the header's sizes are filled in after
                dst.write(_local_header(flags, 8, 0, 0, 0, encoded))
                packed, crc, size = _deflate_into(dst, fill[name](z.read(info)))
                dst.seek(start + offset + 14)
                dst.write(struct.pack("<3L", crc, packed, size))
                dst.seek(0, os.SEEK_END)
                method = 8
            else:
                if name == CORE:
                    data = core_xml(title, when)
                    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
                    raw = compressor.compress(data) + compressor.flush()
                    crc, size, method = zlib.crc32(data), len(data), 8
                else:
                    raw = _raw(fh, info)
                    crc, size, method = info.CRC, info.file_size, info.compress_type
                packed = len(raw)
                dst.write(_local_header(flags, method, crc, packed, size, encoded))
                dst.write(raw)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", (3 << 8) | 20, 20, flags, method, _DOS_TIME,
                                       _DOS_DATE, crc, packed, size, len(encoded), 0, 0, 0, 0,
                                       0o100644 << 16, offset) + encoded)
            offset += 30 + len(encoded) + packed
        directory = b"".join(central)
        dst.write(directory)
        dst.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))


FILL_LEVEL = 1


def _local_header(flags: int, method: int, crc: int, packed: int, size: int, encoded: bytes) -> bytes:
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, _DOS_TIME, _DOS_DATE, crc, packed, size,
                       len(encoded), 0) + encoded


def _deflate_into(dst: BinaryIO, pieces: Iterable[bytes]) -> tuple[int, int, int]:
    """Raw deflate of the pieces joined, written to `dst` as it comes: (compressed size,
    CRC-32, size)."""
    compressor = zlib.compressobj(FILL_LEVEL, zlib.DEFLATED, -15)
    packed = crc = size = 0
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
        size += len(piece)
        out = compressor.compress(piece)
        packed += len(out)
        dst.write(out)
    out = compressor.flush()
    dst.write(out)
    if size > _LIMIT or packed + len(out) > _LIMIT:  # pragma: no cover - a sheet of more than 4 GB
        raise ValueError("an entry of more than 4 GB needs Zip64, which this writer does not make")
    return packed + len(out), crc, size


def _raw(fh, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of one entry, as stored."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    return fh.read(info.compress_size)
