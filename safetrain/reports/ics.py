"""iCalendar (RFC 5545) text: all-day events with display alarms.

Pure and deterministic: the caller gives every UID and the DTSTAMP, events
come out in the order given, lines end in CRLF and are folded at 75 octets
without splitting a UTF-8 character (RFC 5545 3.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Sequence

from ..controls import drop_controls

LIMIT = 75  # octets per line, CRLF excluded (RFC 5545 3.1)
PRODID = "-//safetrain//safetrain//ZH"


@dataclass(frozen=True)
class Event:
    uid: str
    day: date  # an all-day event on this day
    summary: str
    description: str = ""
    alarms: Sequence[int] = ()  # days before the day


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    text = drop_controls(text)  # RFC 5545 3.3.11: no control characters but tab in TEXT
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line folded: at most 75 octets a line, continuations start with a space."""
    out, current, size = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > LIMIT:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n".join(out)


def _event(e: Event, stamp: str) -> Iterable[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{e.uid}"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}"
    yield f"DTEND;VALUE=DATE:{e.day + timedelta(days=1):%Y%m%d}"
    yield f"SUMMARY:{escape(e.summary)}"
    if e.description:
        yield f"DESCRIPTION:{escape(e.description)}"
    yield "TRANSP:TRANSPARENT"
    for days in e.alarms:
        yield "BEGIN:VALARM"
        yield "ACTION:DISPLAY"
        yield f"DESCRIPTION:{escape(e.summary)}"
        yield f"TRIGGER:-P{days}D"
        yield "END:VALARM"
    yield "END:VEVENT"


#: the calendar's own checksum (an iCalendar X- property, which calendar programs pass over): the
#: SHA-256 of the file without this line, so a calendar someone added an event to is theirs
CHECKSUM = "X-SAFETRAIN-SHA256:"
_LARGEST = 64 << 20  # no calendar of ours is near this size


def written_by_safetrain(path) -> bool:
    """A calendar file this program wrote (its PRODID) and nobody changed since (its checksum),
    which `expiring --ics` may replace: one with an event added, or written by hand with our PRODID,
    is the user's."""
    with open(path, "rb") as fh:
        data = fh.read(_LARGEST + 1)
    if len(data) > _LARGEST or not data.startswith(b"BEGIN:VCALENDAR\r\n") \
            or f"\r\nPRODID:{PRODID}\r\n".encode() not in data[:512]:
        return False
    mark = f"\r\n{CHECKSUM}".encode()
    at = data.find(mark)
    if at < 0:
        return False
    end = data.find(b"\r\n", at + len(mark))
    if end < 0:
        return False
    return data[at + len(mark):end].decode("ascii", "replace") == _digest(data[:at] + data[end:])


def _digest(data: bytes) -> str:
    """SHA-256 in unpadded URL-safe base64: 43 characters, so the line stays under 75 octets."""
    import base64
    import hashlib

    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def calendar(events: Iterable[Event], *, stamp: datetime, name: str, prodid: str = PRODID) -> str:
    """A VCALENDAR holding `events`; `stamp` (UTC) is every event's DTSTAMP. Its header carries
    its checksum (CHECKSUM), so that an edited calendar is never taken for ours."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    dtstamp = f"{stamp:%Y%m%dT%H%M%S}Z"
    for e in events:
        lines.extend(_event(e, dtstamp))
    lines.append("END:VCALENDAR")
    text = "".join(fold(line) + "\r\n" for line in lines)
    cut = text.index("\r\nX-WR-CALNAME:")  # the checksum line goes before the name: header lines all
    return text[:cut] + f"\r\n{CHECKSUM}{_digest(text.encode('utf-8'))}" + text[cut:]
