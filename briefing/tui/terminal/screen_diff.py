"""Send the terminal only the cells that change, as curses does.

Textual redraws a widget by writing whole lines of it, every segment wrapped in
its full colour codes and a reset. On a local terminal that costs nothing; over
SSH every byte is latency, and moving to the next article wrote some 26 kB.
curses programs such as newsboat send only what differs from what the terminal
already shows. :class:`ScreenDiff` does the same for Textual: it keeps a copy of
the screen (each cell's character, SGR attributes and hyperlink) and turns each
frame Textual writes into cursor moves and characters for the cells that differ.

It reads Textual's output, not Textual's internals. A frame is cursor positions
(CUP), SGR codes, hyperlinks and text, which is all it needs to understand;
mode switches, titles and clipboard writes change no cell and pass through. Any
frame holding something else that could change the screen (a clear, the
alternate screen, a scroll, text with no known position) is written exactly as
Textual wrote it and the copy is forgotten, so the next frame is written in
full: when in doubt, it writes what Textual wrote.
"""

from __future__ import annotations

import re
from functools import lru_cache

import rich.cells
from rich.cells import cell_len, get_character_cell_size

# (text, SGR parameters, hyperlink). The text is one grapheme cluster (a family emoji of
# seven code points is one); the right half of a wide character has text "".
Cell = tuple[str, str, str]
_Run = tuple[str, str, int, list[int]]  # cells in one style: SGR, link, row, columns

_TOKEN = re.compile(
    r"(?P<text>[^\x00-\x1f\x7f]+)"
    r"|\x1b\[(?P<row>\d*)(?:;(?P<col>\d*))?H"
    r"|\x1b\[(?P<sgr>[\d;:]*)m"
    r"|\x1b\]8;(?P<link>[^\x07\x1b]*)(?:\x07|\x1b\\)"
    r"|(?P<csi>\x1b\[[0-?]*[ -/]*[@-~])"
    r"|(?P<osc>\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))"
    r"|(?P<other>[\s\S])"
)
# Private modes that clear or switch the screen, save the cursor, or change where
# a cursor move or a character lands: the copy would no longer match.
_SCREEN_MODES = frozenset({"3", "6", "7", "47", "69", "1047", "1048", "1049"})
_SHOW_CURSOR = "\x1b[?25h"


class _Unsure(Exception):
    """The frame holds something the copy of the screen cannot follow."""


@lru_cache(maxsize=4096)
def _width(cluster: str) -> int:
    """The cells a cell's text takes as Textual laid it out: Rich's cell_len, which
    counts a sequence joined by ZWJ as one character and widens one VS16 asks for, as
    the sum of its code points' widths would not."""
    return cell_len(cluster)


@lru_cache(maxsize=4096)
def _clusters(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, cells) of each grapheme cluster of ``text``, as Rich measures it;
    before Rich 15 Rich measured, and so Textual laid out, code point by code point.
    Cached: a list's titles are the same text in every frame that draws their rows."""
    split = getattr(rich.cells, "split_graphemes", None)
    if split is not None:
        return tuple(split(text)[0])
    return tuple((i, i + 1, get_character_cell_size(c)) for i, c in enumerate(text))


class ScreenDiff:
    """What the terminal shows, and the bytes that take it to the next frame."""

    def __init__(self) -> None:
        self.size: tuple[int, int] = (0, 0)
        self._rows: list[list[Cell | None]] = []
        self._wide_rows: set[int] = set()  # rows that may show a wide character
        self._cursor: tuple[int, int] | None = None  # where the terminal's cursor is

    def forget(self) -> None:
        """The terminal may show anything now: every cell is written at its next change."""
        width, height = self.size
        self._rows = [[None] * width for _ in range(height)]
        self._wide_rows = set()
        self._cursor = None

    def feed(self, frame: str, size: tuple[int, int]) -> str:
        """The bytes to write instead of ``frame`` on a terminal of ``size`` (columns, rows)."""
        if size != self.size:
            self.size = size
            self.forget()
        try:
            return _Frame(self).render(frame)
        except _Unsure:
            self.forget()
            return frame


class _Frame:
    """One write: parsed into wanted cells, then rendered as the difference."""

    def __init__(self, screen: ScreenDiff) -> None:
        self.screen = screen
        self.wanted: dict[int, dict[int, Cell]] = {}
        self.wide_rows: set[int] = set()  # rows where this frame draws a wide character
        self.out: list[str] = []
        # The terminal's state while writing: the frame starts and ends with no
        # attributes and no hyperlink, as Textual expects between its writes.
        self.sgr = ""
        self.link = ""

    def render(self, frame: str) -> str:
        screen = self.screen
        width, height = screen.size
        if not width or not height:
            raise _Unsure
        x: int | None = None  # where Textual's stream has put the cursor
        y: int | None = None
        sgr = ""  # the attributes and link Textual's stream has set
        link = ""
        for match in _TOKEN.finditer(frame):
            kind = match.lastgroup
            if kind == "text":
                if x is None or y is None:
                    raise _Unsure
                x = self._place(match.group(), x, y, sgr, link)
            elif kind in ("row", "col"):
                x = int(match.group("col") or 1) - 1
                y = int(match.group("row") or 1) - 1
                if not (0 <= x < width and 0 <= y < height):
                    raise _Unsure
            elif kind == "sgr":
                sgr = _apply_sgr(sgr, match.group("sgr"))
            elif kind == "link":
                uri = match.group("link")
                link = "" if uri in ("", ";") else uri
            elif kind == "csi":
                sequence = match.group()
                if not _harmless(sequence):
                    raise _Unsure
                self._pass(sequence, x, y)
            elif kind == "osc":
                self._pass(match.group(), x, y)
            elif match.group() == "\n":  # Textual's line break; a cursor move always follows
                if y is None or y + 1 >= height:
                    raise _Unsure  # a line feed on the last row scrolls the screen
                x, y = None, y + 1
            elif match.group() == "\r":
                x = 0
            elif match.group() == "\x07":
                self._pass("\x07", x, y)
            else:
                raise _Unsure
        self._flush()
        if x is not None and y is not None:
            # Where Textual leaves it, shown or not: input methods and screen readers
            # follow the cursor even when it is hidden.
            self._move(x, y)
        self._style("", "")
        return "".join(self.out)

    def _place(self, text: str, x: int, y: int, sgr: str, link: str) -> int:
        """Record ``text`` as wanted from (x, y); returns the column after it."""
        width = self.screen.size[0]
        row = self.wanted.setdefault(y, {})
        if text.isascii():
            if x + len(text) > width:
                raise _Unsure  # the terminal would wrap
            _keep_whole(row, x, x + len(text))
            for character in text:
                row[x] = (character, sgr, link)
                x += 1
            return x
        for start, end, cells in _clusters(text):
            character = text[start:end]
            if cells == 0:  # a combining mark joins the character before it
                base = x - 2 if row.get(x - 1, ("?",))[0] == "" else x - 1  # a wide one?
                before = row.get(base)
                if before is None or before[0] == "":
                    raise _Unsure
                row[base] = (before[0] + character, before[1], before[2])
                continue
            if x + cells > width:
                raise _Unsure
            _keep_whole(row, x, x + cells)
            row[x] = (character, sgr, link)
            if cells == 2:
                row[x + 1] = ("", sgr, link)
                self.wide_rows.add(y)
            x += cells
        return x

    def _pass(self, sequence: str, x: int | None, y: int | None) -> None:
        """A sequence that changes no cell, written in its place among the cells."""
        self._flush()
        # Shown, or asked where it is: the cursor goes where Textual's stream put it.
        if (sequence == _SHOW_CURSOR or sequence.endswith("n")) and x is not None and y is not None:
            self._move(x, y)
        self.out.append(sequence)

    def _flush(self) -> None:
        """Write the wanted cells that differ from the copy.

        They go as runs of one style, grouped by style across rows rather than
        row by row: a list's rows change the same way (a date, then a title), so
        each colour is set once for all rows, not twice on every row; a cursor
        move costs less than a colour change.
        """
        screen = self.screen
        runs: list[_Run] = []
        for y in sorted(self.wanted):
            wanted, shown = self.wanted[y], screen._rows[y]
            changed = [x for x, cell in wanted.items() if shown[x] != cell]
            if not changed:
                continue
            if y in self.wide_rows or y in screen._wide_rows:
                changed = _whole_characters(changed, wanted, shown)
            else:
                changed.sort()  # no wide character to keep whole: the common case
            runs += _runs(y, changed, wanted)
        runs.sort(key=lambda run: (run[0], run[1], run[2], run[3][0]))
        width = screen.size[0]
        for _, _, y, columns in runs:
            wanted, shown = self.wanted[y], screen._rows[y]
            after = -1  # the column after the last cell written, once one is
            for x in columns:
                cell = wanted[x]
                shown[x] = cell
                text = cell[0]
                if text == "":
                    continue  # the right half of a wide character, written with its left half
                if after < 0:  # a run's first cell: the cursor is elsewhere; then it follows
                    self._bridge_to(x, y, shown)
                    self._move(x, y)
                self._put(cell)
                cells = 1 if text.isascii() else _width(text)
                if cells == 2:
                    screen._wide_rows.add(y)
                after = x + cells
            if after >= 0:
                screen._cursor = (after, y) if after < width else None  # pending wrap
        self.wanted.clear()

    def _put(self, cell: Cell) -> None:
        """Write one cell where the cursor is, changing the attributes only if it shows."""
        if not _drawn_alike(cell, self.sgr):
            self._style(cell[1], cell[2])
        elif cell[2] != self.link:
            self._style(self.sgr, cell[2])
        self.out.append(cell[0])

    def _bridge_to(self, x: int, y: int, shown: list[Cell | None]) -> None:
        """Reach column ``x`` by writing again the few unchanged cells before it, when
        that is shorter than a cursor move (as curses does): a gap of one to three
        known narrow cells in the attributes already set."""
        cursor = self.screen._cursor
        if cursor is None or cursor[1] != y or not 0 < x - cursor[0] <= 3:
            return
        gap = shown[cursor[0] : x]
        if not all(
            cell is not None
            and cell[0] != ""
            and _width(cell[0]) == 1
            and cell[2] == self.link
            and _drawn_alike(cell, self.sgr)
            for cell in gap
        ):
            return
        text = "".join(cell[0] for cell in gap if cell is not None)
        if len(text.encode()) < len(_cursor_move(cursor, x, y)):
            self.out.append(text)
            self.screen._cursor = (x, y)

    def _move(self, x: int, y: int) -> None:
        screen = self.screen
        x = min(x, screen.size[0] - 1)  # past the last column the terminal stops at it
        if screen._cursor != (x, y):
            self.out.append(_cursor_move(screen._cursor, x, y))
            screen._cursor = (x, y)

    def _style(self, sgr: str, link: str) -> None:
        if sgr != self.sgr:
            self.out.append(_sgr_change(self.sgr, sgr))
            self.sgr = sgr
        if link != self.link:
            self.out.append(f"\x1b]8;{link or ';'}\x1b\\")
            self.link = link


def _cursor_move(cursor: tuple[int, int] | None, x: int, y: int) -> str:
    """The shortest way from ``cursor`` to (x, y), as curses picks it: a position with
    its defaults left out, or on the same row a carriage return or a step right or
    left, or to the start of the next row a carriage return and a line feed (never
    on the last row: nothing is below (x, y), so no line feed here can scroll)."""
    move = f"\x1b[{y + 1};{x + 1}H" if x else ("\x1b[H" if y == 0 else f"\x1b[{y + 1}H")
    if cursor is None:
        return move
    column, row = cursor
    if row == y:
        if x == 0:
            return "\r"
        steps = x - column
        count = "" if abs(steps) == 1 else str(abs(steps))
        step = f"\x1b[{count}{'C' if steps > 0 else 'D'}"
        return step if len(step) < len(move) else move
    if x == 0 and y == row + 1:
        return "\r\n"
    return move


def _harmless(sequence: str) -> bool:
    """Whether a CSI sequence leaves every cell and the cursor where they were.

    Private modes (mouse, focus, paste, sync, cursor shown), reports and queries,
    the cursor's shape, the keyboard protocol and window operations do; anything
    else (a clear, an erase, a scroll, insert mode, a saved cursor restored) may not.
    """
    final, body = sequence[-1], sequence[2:-1]
    if final in "hl":
        return body.startswith("?") and not _SCREEN_MODES.intersection(body[1:].split(";"))
    if final == "u":  # the keyboard protocol; a bare CSI u restores the cursor
        return body[:1] in ("<", ">", "=", "?")
    if final == "p":  # mode queries; CSI ! p is a soft reset
        return body.endswith("$")
    return final in "nctq"


# SGR codes that turn an attribute off; 22 turns off both bold and faint.
_ATTRIBUTE_OFF = {
    "1": "22", "2": "22", "3": "23", "4": "24", "5": "25", "7": "27", "8": "28", "9": "29"
}  # fmt: skip
_SgrState = tuple[frozenset[str], str, str]  # attributes on, foreground, background


@lru_cache(maxsize=1024)
def _sgr_state(parameters: str) -> _SgrState | None:
    """Attributes and colours that SGR ``parameters`` set from a reset; None if it uses
    codes this does not follow (then changes to or from it reset first)."""
    attributes: set[str] = set()
    foreground = background = ""
    codes = parameters.split(";")
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in ("38", "48"):
            size = {"5": 3, "2": 5}.get(codes[index + 1] if index + 1 < len(codes) else "")
            if size is None or index + size > len(codes):
                return None
            colour = ";".join(codes[index : index + size])
            foreground, background = (colour, background) if code == "38" else (foreground, colour)
            index += size
            continue
        if code in _ATTRIBUTE_OFF:
            attributes.add(code)
        elif code in ("0", ""):
            attributes, foreground, background = set(), "", ""
        elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
            foreground = code
        elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
            background = code
        else:
            return None  # "off" codes, underline styles...: not what Textual writes
        index += 1
    return frozenset(attributes), foreground, background


@lru_cache(maxsize=4096)
def _sgr_change(before: str, after: str) -> str:
    """The shortest SGR that takes the terminal from attributes ``before`` to ``after``:
    a reset and the new attributes, or only what differs (unbold, another colour)."""
    reset = f"\x1b[0;{after}m" if after and before else f"\x1b[{after or 0}m"
    old, new = _sgr_state(before), _sgr_state(after)
    if not before or old is None or new is None:
        return reset
    codes = []
    turned_off = old[0] - new[0]
    turned_on = new[0] - old[0]
    if {"1", "2"} & turned_off:
        turned_on |= new[0] & {"1", "2"}  # 22 turns both off: turn back on what stays
    codes += sorted({_ATTRIBUTE_OFF[code] for code in turned_off})
    codes += sorted(turned_on)
    if old[1] != new[1]:
        codes.append(new[1] or "39")
    if old[2] != new[2]:
        codes.append(new[2] or "49")
    change = f"\x1b[{';'.join(codes)}m"
    return change if len(change) < len(reset) else reset


# What a space shows of its attributes: its background, and lines drawn through it.
_VISIBLE_ON_BLANK = frozenset({"4", "7", "9"})


@lru_cache(maxsize=4096)
def _same_blank(before: str, after: str) -> bool:
    """Whether a space looks the same in attributes ``before`` as in ``after``: its
    foreground, bold or italic show nothing (unless it is reversed, underlined or
    struck through, all drawn in the foreground colour), so the colour change between
    two words need not be sent."""
    if before == after:
        return True
    old, new = _sgr_state(before), _sgr_state(after)
    if old is None or new is None:
        return False
    lines = old[0] & _VISIBLE_ON_BLANK
    if lines != new[0] & _VISIBLE_ON_BLANK or old[2] != new[2]:
        return False
    if lines and old[1] != new[1]:
        return False  # a line through the space, or the reversed space, is in its colour
    return "7" not in lines or ("1" in old[0]) == ("1" in new[0])  # bold may brighten it


def _drawn_alike(cell: Cell, sgr: str) -> bool:
    """Whether ``cell`` drawn in attributes ``sgr`` looks as in its own: they are its own,
    or it is a space whose difference does not show."""
    return cell[1] == sgr or (cell[0] == " " and _same_blank(sgr, cell[1]))


def _apply_sgr(current: str, parameters: str) -> str:
    """The attributes after an SGR: a reset starts afresh, anything else adds to them."""
    if parameters in ("", "0"):
        return ""
    if parameters.startswith("0;"):
        return parameters[2:]
    return f"{current};{parameters}" if current else parameters


def _whole_characters(
    changed: list[int], wanted: dict[int, Cell], shown: list[Cell | None]
) -> list[int]:
    """The columns to write so that no wide character is left half drawn.

    Writing over either half of a wide character blanks the other half (on
    most terminals), and a wide character is written whole. So a changed
    column spreads to the wanted neighbour it would break; a neighbour the
    frame does not draw is left alone, as Textual's own output would leave it,
    and forgotten, since what it shows now depends on the terminal.
    """
    columns = set(changed)
    pending = list(changed)
    while pending:
        x = pending.pop()
        for cell in (shown[x], wanted.get(x)):
            if cell is None:
                continue
            if cell[0] == "":
                neighbour = x - 1
            elif _width(cell[0]) == 2:
                neighbour = x + 1
            else:
                continue
            if neighbour in columns or not 0 <= neighbour < len(shown):
                continue
            if neighbour in wanted:
                columns.add(neighbour)
                pending.append(neighbour)
            else:
                shown[neighbour] = None
    return sorted(columns)


def _runs(y: int, columns: list[int], wanted: dict[int, Cell]) -> list[_Run]:
    """Split a row's columns into runs of consecutive cells in one style (a space whose
    colour does not show joins the run it is in; a right half stays with its left)."""
    runs: list[_Run] = []
    run: _Run | None = None
    last = -2
    for x in columns:
        cell = wanted[x]
        if (
            run is not None
            and x == last + 1
            and (cell[0] == "" or (cell[2] == run[1] and _drawn_alike(cell, run[0])))
        ):
            run[3].append(x)
        else:
            run = (cell[1], cell[2], y, [x])
            runs.append(run)
        last = x
    return runs


def _keep_whole(row: dict[int, Cell], start: int, end: int) -> None:
    """Writing columns start..end-1 must not split a wide character this frame drew:
    what a terminal shows then differs between terminals, so the frame goes as it is."""
    first, last = row.get(start), row.get(end - 1)
    if (first is not None and first[0] == "") or (
        last is not None and last[0] and _width(last[0]) == 2
    ):
        raise _Unsure
