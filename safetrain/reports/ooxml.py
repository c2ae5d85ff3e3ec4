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
from contextlib import ExitStack
from datetime import date
from typing import BinaryIO, Iterable, Mapping, NamedTuple

from ..controls import drop_controls


#: &, < and > as XML entities: xml.sax.saxutils.escape's three, without importing it (it brings
#: urllib.request and http.client, 11 ms of imports in every process that renders)
XML_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_XML_TEXT = str.maketrans(XML_TEXT)


def escape(text: str) -> str:
    """`text` as the text of an XML element."""
    return text.translate(_XML_TEXT)


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
#: the date in the properties of a file that is of no day (a blank import template)
TEMPLATE_DAY = date(*ZIP_TIME[:3])
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
    """A zip of the entries every document shares, compressed once; `plus(entries)` gives
    the zip with one document's own entries after them: write_zip's bytes for all the
    entries, without compressing the shared ones again or reading the zip back."""

    def __init__(self, entries: Iterable[tuple[str, bytes]]):
        self.data, self.central, self.count = b"", b"", 0
        self.data, self.central, self.count = self._append(entries)

    def _append(self, entries: Iterable[tuple[str, bytes]]) -> tuple[bytes, bytes, int]:
        local, central, count = [self.data], [self.central], self.count
        offset = len(self.data)
        for name, data in entries:
            compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            raw = compressor.compress(data) + compressor.flush()
            head, record = _records(name, 8, zlib.crc32(data), len(raw), len(data), offset)
            local += (head, raw)
            central.append(record)
            offset += len(head) + len(raw)
            count += 1
        return b"".join(local), b"".join(central), count

    def plus(self, entries: Iterable[tuple[str, bytes]]) -> bytes:
        data, central, count = self._append(entries)
        return data + central + _end(count, len(central), len(data))


def _records(name: str, method: int, crc: int, packed: int, size: int, offset: int) -> tuple[bytes, bytes]:
    """An entry's local header (its name included) and its central directory record, as
    zipfile writes them for write_zip."""
    encoded = name.encode("utf-8")
    flags = 0x800 if not name.isascii() else 0
    head = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, _DOS_TIME, _DOS_DATE, crc, packed, size,
                       len(encoded), 0) + encoded
    record = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", (3 << 8) | 20, 20, flags, method, _DOS_TIME, _DOS_DATE, crc,
                         packed, size, len(encoded), 0, 0, 0, 0, 0o100644 << 16, offset) + encoded
    return head, record


def _end(count: int, directory: int, offset: int) -> bytes:
    """The end of central directory record."""
    return struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, directory, offset, 0)


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


class Packed(NamedTuple):
    """An entry compressed ahead (raw deflate), lying in the file `source` at `offset`."""

    source: BinaryIO
    offset: int
    packed: int  # compressed size
    crc: int
    size: int


#: the deflate level of entries compressed ahead: rows of XML shrink almost as well as at the
#: default level, in a fraction of the time
PACK_LEVEL = 1


def pack_into(out: BinaryIO, pieces: Iterable[bytes]) -> Packed:
    """The pieces joined, compressed (raw deflate) to the end of `out` as they come,
    never held whole."""
    out.seek(0, os.SEEK_END)
    offset = out.tell()
    compressor = zlib.compressobj(PACK_LEVEL, zlib.DEFLATED, -15)
    packed = crc = size = 0
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
        size += len(piece)
        data = compressor.compress(piece)
        packed += len(data)
        out.write(data)
    data = compressor.flush()
    out.write(data)
    packed += len(data)
    if size > _LIMIT or packed > _LIMIT:  # pragma: no cover - a sheet of more than 4 GB
        raise ValueError("an entry of more than 4 GB needs Zip64, which this writer does not make")
    return Packed(out, offset, packed, crc, size)


def normalize_file(src: str | os.PathLike | BinaryIO, dst: BinaryIO, title: str, when: date,
                   prepared: Mapping[str, Packed] | None = None) -> None:
    """`normalize` for a large file (a workbook of hundreds of thousands of rows): each
    entry's compressed bytes are copied as they are, under a fixed time and in the same
    order, and only the core properties are written anew; nothing is held in memory
    whole, nothing compressed twice. `write_zip`'s layout, byte for byte, when the
    entries were compressed by zipfile as write_zip does. `prepared` replaces entries
    by others compressed ahead (pack_into), copied as they are."""
    prepared = prepared or {}
    with ExitStack() as stack:
        z = stack.enter_context(zipfile.ZipFile(src))
        fh = src if hasattr(src, "read") else stack.enter_context(open(src, "rb"))
        infos = {i.filename: i for i in z.infolist() if not i.is_dir()}
        if any(i.compress_size > _LIMIT or i.file_size > _LIMIT or i.compress_type not in (0, 8)
               for i in infos.values()):  # pragma: no cover - a workbook of more than 4 GB
            replace = {name: zlib.decompress(_copy(p, None), -15) for name, p in prepared.items()}
            fh.seek(0)
            dst.write(normalize(fh.read(), title, when, replace))
            return
        central, offset = [], 0
        for name in ordered(infos):
            info = infos[name]
            if name in prepared:
                p = prepared[name]
                crc, packed, size, method = p.crc, p.packed, p.size, 8
            elif name == CORE:
                data = core_xml(title, when)
                compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
                raw = compressor.compress(data) + compressor.flush()
                crc, packed, size, method = zlib.crc32(data), len(raw), len(data), 8
            else:
                raw = _raw(fh, info)
                crc, packed, size, method = info.CRC, len(raw), info.file_size, info.compress_type
            head, record = _records(name, method, crc, packed, size, offset)
            dst.write(head)
            if name in prepared:
                _copy(prepared[name], dst)
            else:
                dst.write(raw)
            central.append(record)
            offset += len(head) + packed
        directory = b"".join(central)
        dst.write(directory)
        dst.write(_end(len(central), len(directory), offset))


def _copy(p: Packed, dst: BinaryIO | None, chunk: int = 1 << 20) -> bytes:
    """The compressed bytes of `p`, copied to `dst` a piece at a time (returned whole when dst is None)."""
    out, left, at = [], p.packed, p.offset
    while left:
        p.source.seek(at)
        data = p.source.read(min(chunk, left))
        if not data:  # pragma: no cover - the file was cut short under us
            raise OSError("an entry compressed ahead is incomplete")
        left, at = left - len(data), at + len(data)
        if dst is None:
            out.append(data)
        else:
            dst.write(data)
    return b"".join(out)


def _raw(fh, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of one entry, as stored."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    return fh.read(info.compress_size)
