"""Text shown on a terminal: control characters from the data are shown escaped, never sent.

A label holding ``ESC ]0;…BEL`` retitles the user's terminal, ``ESC [2J`` clears it, a
carriage return overwrites what was printed before it. Data is not allowed to do that, so
every control character (C0, DEL, C1) and the bidirectional overrides that reorder a line are
written as a visible escape (``\\x1b``, ``\\u202e``), as Python's ``repr`` would.
"""

from __future__ import annotations

import re

__all__ = ["safe_terminal"]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_terminal(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with control characters escaped (tabs and, unless told, newlines kept).

    Examples
    --------
    >>> safe_terminal("Coop\\x1b]0;pwned\\x07 Ltd")
    'Coop\\\\x1b]0;pwned\\\\x07 Ltd'
    >>> safe_terminal("a\\tb\\nc")
    'a\\tb\\nc'
    """
    if not keep_newlines:
        text = text.replace("\n", "\\n")
    return _CONTROL.sub(_escape, text)
