"""Control characters: what a text field must not hold.

XML 1.0, and so every .docx and .xlsx part and the HTML report, cannot hold
the C0 control characters other than tab, line feed and carriage return (a
vertical tab pasted from Word makes a document Word refuses); a terminal
takes some of them as commands. `check` reports them in text fields (A002,
archive/reading/validate.py); every writer drops them (`drop_controls`);
messages show them escaped (`shown`).
"""

from __future__ import annotations

import re

#: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates: none of them is an XML 1.0 character
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


#: the invisible bidirectional controls that make a text read otherwise than it is written (U+202E
#: turns "2024-06-30" beside it into "03-60-4202"): no text field holds them (A002), no writer keeps them
_BIDI_CHARS = "".join(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
#: the bidi controls as a part of a regular expression's character class (also a part of
#: writing/inputs.INVISIBLE, the characters an import takes out of every cell)
BIDI = _BIDI_CHARS[0] + "-" + _BIDI_CHARS[4] + _BIDI_CHARS[5] + "-" + _BIDI_CHARS[-1]

#: what a one-line text (a name, a title, a department) must not hold besides CONTROL: line breaks
#: (a name spread over lines reads as two records, and as two lines of a CI log) and the bidi controls
LINE_CONTROL = re.compile(CONTROL.pattern[:-1] + "\n\r\x85\u2028\u2029" + BIDI + "]")

#: what any text must not hold: CONTROL and the bidi controls (a multi-line note may break lines)
TEXT_CONTROL = re.compile(CONTROL.pattern[:-1] + BIDI + "]")
#: the bidi controls as UTF-8 writes them (three bytes each)
_BIDI_BYTES = re.compile(b"|".join(re.escape(ch.encode("utf-8")) for ch in _BIDI_CHARS))


def first_control(text: str) -> str | None:
    """The first control character in `text`, or None."""
    m = CONTROL.search(text)
    return m.group(0) if m else None


def drop_controls(text: str) -> str:
    """`text` without its control characters and bidi controls (what every document writer keeps:
    a folder's name may hold U+202E, which no check of values sees)."""
    return TEXT_CONTROL.sub("", text) if TEXT_CONTROL.search(text) else text


#: CONTROL's characters below U+0020, as the bytes UTF-8 writes them (nothing else has such a byte)
_CONTROL_BYTES = bytes(c for c in range(0x20) if CONTROL.match(chr(c)))


def utf8_without_controls(text: str) -> bytes:
    """drop_controls(text) in UTF-8, in a fifth of the time of CONTROL's search of the text (a
    page of the HTML report is 100 KB): a C0 control is looked for as its own byte in the UTF-8,
    U+FFFE and U+FFFF each as one character of the text, a bidi control as its three bytes, and
    a lone surrogate cannot be encoded."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return drop_controls(text).encode("utf-8")
    if (len(data.translate(None, _CONTROL_BYTES)) != len(data) or "\ufffe" in text or "\uffff" in text
            or _BIDI_BYTES.search(data)):
        return drop_controls(text).encode("utf-8")
    return data


def code_point(ch: str) -> str:
    """U+000B."""
    return f"U+{ord(ch):04X}"


#: what a terminal line must not carry as it is: the C0 and C1 controls (ESC, and CSI U+009B,
#: start a terminal command) and the bidirectional controls (U+202E makes a line read otherwise
#: than it is written; LINE_CONTROL refuses them in values, a file name may still hold one)
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + BIDI + "]")


def terminal_line(text: str) -> str:
    """`text` for a line of a terminal or a log: its controls escaped as `shown` writes them
    (\\x1b, \\u202e); a lone surrogate (a file name the file system gave undecoded) is left for
    the writer, which gives its bytes back."""
    if not _TERMINAL_CONTROL.search(text):
        return text
    return _TERMINAL_CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def shown(text: str) -> str:
    """`text` for a message: each control character written as \\x0b (never sent to a terminal)."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda m: m.group(0).encode("unicode_escape", "backslashreplace").decode("ascii"), text)
