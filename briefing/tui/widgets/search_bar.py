"""The search box: an input, a line for what is wrong with the query, and the searches
typed before (Up and Down recall them, as a shell's history does).

The input is there from the start, hidden: keys typed straight after "/" must land
in it, and a box made on first use was not there yet for them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from briefing.store.search import QUERY_MAX
from briefing.tui.widgets.steady_input import SteadyInput

# The reader lists at most this many hits, best first; the status line says when it is full.
SEARCH_LIMIT = 500
SEARCHES_KEPT = 50


class SearchBar(Vertical):
    """Shown by '/', hidden by Escape. Posts Submitted and Cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Close search", id="search.cancel"),
        Binding("up", "recall(-1)", "Earlier search", id="search.earlier"),
        Binding("down", "recall(1)", "Later search", id="search.later"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.searches: list[str] = []  # oldest first; the reader saves them
        self._recalled = 0  # where Up and Down are in the searches
        self._draft = ""  # what was typed before Up, which Down comes back to

    class Submitted(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Cancelled(Message):
        pass

    def compose(self) -> ComposeResult:
        yield SteadyInput(
            placeholder='Search: words, "a phrase", OR, NOT, prefix*  (Enter: search, Esc: close)',
            id="search-input",
            # The store refuses longer queries; a paste without bracketed paste (a key
            # event per character) must not grow the box, and the reader, without end.
            max_length=QUERY_MAX,
        )
        yield Static(id="search-error", markup=False)

    def open(self, query: str = "") -> None:
        self.display = True
        search_input = self.query_one("#search-input", Input)
        search_input.value = query
        search_input.cursor_position = len(query)
        search_input.focus()
        self.show_error(None)
        self._recalled = len(self.searches)
        self._draft = query

    def remember(self, query: str) -> None:
        """A search submitted: the latest in the history, once."""
        if query in self.searches:
            self.searches.remove(query)
        self.searches.append(query)
        del self.searches[:-SEARCHES_KEPT]
        self._recalled = len(self.searches)

    def action_recall(self, step: int) -> None:
        """Up: the search before the one shown; Down: the next, then what was being typed."""
        if not self.searches:
            return
        search_input = self.query_one("#search-input", Input)
        if self._recalled == len(self.searches):
            self._draft = search_input.value
        self._recalled = min(max(self._recalled + step, 0), len(self.searches))
        value = (
            self.searches[self._recalled] if self._recalled < len(self.searches) else self._draft
        )
        search_input.value = value
        search_input.cursor_position = len(value)

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#search-error", Static)
        error.update(Content(message or ""))
        error.display = bool(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def action_cancel(self) -> None:
        self.display = False
        self.post_message(self.Cancelled())
