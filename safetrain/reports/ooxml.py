"""Byte-identical Office files: fixed zip entry times and order, fixed core
properties (DESIGN.md: "the same archive gives ... byte-identical documents").

A .docx or .xlsx is a zip of XML parts. Word, python-docx and openpyxl stamp
the current time into the zip entries and into docProps/core.xml (created,
modified, last printed, revision, author); here every one of those is fixed,
to the as_of date for the dates and to "safetrain" for the author.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Iterable
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
