"""Where each key of a TOML document is written: tomllib gives values but no positions.

Only valid TOML is scanned (the text has already been parsed), so the scanner needs no error
handling. A key path is a tuple of table keys and array-of-tables indexes, e.g.
``("agreements", 2, "first_response")`` or ``("departments", "it", "calendar")``.
"""

import bisect
import re
import tomllib
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = " \t"


class KeyLines:
    def __init__(self, lines: dict[KeyPath, int]) -> None:
        self._lines = lines

    def line_of(self, path: KeyPath) -> int:
        """The line that writes ``path``, else that of its nearest written ancestor (e.g. its table header), else 1."""
        for end in range(len(path), 0, -1):
            line = self._lines.get(path[:end])
            if line is not None:
                return line
        return 1


def locate(text: str) -> KeyLines:
    return _Scanner(text).scan()


class _Scanner:
    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        self._newlines = [index for index, char in enumerate(text) if char == "\n"]
        self._lines: dict[KeyPath, int] = {}
        self._arrays: dict[KeyPath, int] = {}
        self._table: KeyPath = ()

    def scan(self) -> KeyLines:
        while self._skip_blank():
            line = self._line()
            if self._text.startswith("[[", self._pos):
                self._table = self._open_array(self._header(2), line)
            elif self._text.startswith("[", self._pos):
                self._table = self._open_table(self._header(1), line)
            else:
                self._key_value(line)
        return KeyLines(self._lines)

    def _line(self) -> int:
        return bisect.bisect_left(self._newlines, self._pos) + 1

    def _skip_blank(self) -> bool:
        """Skip whitespace, newlines and comments; False at the end of the text."""
        text = self._text
        while self._pos < len(text):
            if text[self._pos] in " \t\r\n":
                self._pos += 1
            elif text[self._pos] == "#":
                self._pos = _line_end(text, self._pos)
            else:
                return True
        return False

    def _header(self, brackets: int) -> list[str]:
        self._pos += brackets
        parts = self._key()
        self._pos = self._text.index("]" * brackets, self._pos) + brackets
        return parts

    def _key_value(self, line: int) -> None:
        parts = self._key()
        self._pos = self._text.index("=", self._pos) + 1
        self._record(self._table, parts, line)
        self._pos = _value_end(self._text, self._pos)

    def _key(self) -> list[str]:
        """A dotted key at the current position, each part unquoted."""
        parts: list[str] = []
        while True:
            self._skip_space()
            parts.append(self._key_part())
            self._skip_space()
            if not self._text.startswith(".", self._pos):
                return parts
            self._pos += 1

    def _key_part(self) -> str:
        text, start = self._text, self._pos
        if text[start] in "\"'":
            self._pos = _string_end(text, start)
            return str(tomllib.loads(f"k = {text[start : self._pos]}")["k"])
        match = _BARE_KEY.match(text, start)
        if match is None:
            raise ValueError(f"no TOML key at offset {start}")
        self._pos = match.end()
        return match.group()

    def _skip_space(self) -> None:
        while self._pos < len(self._text) and self._text[self._pos] in _SPACE:
            self._pos += 1

    def _resolve(self, parts: list[str]) -> KeyPath:
        """The path of a header's table: a named array of tables means its last element so far."""
        path: KeyPath = ()
        for part in parts:
            path = (*path, part)
            if path in self._arrays:
                path = (*path, self._arrays[path] - 1)
        return path

    def _open_table(self, parts: list[str], line: int) -> KeyPath:
        path = self._resolve(parts)
        self._record((), path, line)
        return path

    def _open_array(self, parts: list[str], line: int) -> KeyPath:
        array = (*self._resolve(parts[:-1]), parts[-1])
        index = self._arrays.get(array, 0)
        self._arrays[array] = index + 1
        path = (*array, index)
        self._record((), path, line)
        return path

    def _record(self, table: KeyPath, parts: Sequence[str | int], line: int) -> None:
        """``table + parts`` is written on ``line``; its ancestors keep the line where they first appeared."""
        for end in range(1, len(parts)):
            self._lines.setdefault((*table, *parts[:end]), line)
        self._lines[(*table, *parts)] = line


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _value_end(text: str, pos: int) -> int:
    """The end of the value starting at ``pos``: the newline after it, skipping nested arrays and strings."""
    depth = 0
    while pos < len(text):
        char = text[pos]
        if char in "\"'":
            pos = _string_end(text, pos)
        elif char == "#":
            pos = _line_end(text, pos)
        elif char == "\n" and depth == 0:
            return pos
        else:
            depth += (char in "[{") - (char in "]}")
            pos += 1
    return pos


def _string_end(text: str, pos: int) -> int:
    """The position after the string (basic, literal, or multi-line) that starts at ``pos``."""
    quote = text[pos]
    delimiter = quote * 3 if text.startswith(quote * 3, pos) else quote
    index = pos + len(delimiter)
    while not text.startswith(delimiter, index):
        index += 2 if quote == '"' and text[index] == "\\" else 1
    end = index + len(delimiter)
    if len(delimiter) == 3:
        # Up to two quotes right before the closing delimiter belong to the string: """a""""" is 'a""'.
        while end < len(text) and text[end] == quote and end - index < 5:
            end += 1
    return end
