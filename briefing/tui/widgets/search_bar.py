"""The search box: an input, and a line for what is wrong with the query."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from briefing.store.search import QUERY_MAX

# The reader lists at most this many hits, best first; the status line says when it is full.
SEARCH_LIMIT = 500


class SteadyInput(Input):
    """A text input whose cursor does not blink: a blink is a redraw twice a second,
    bytes on an SSH line for as long as the box is open, however idle the reader."""

    cursor_blink = reactive(False, init=False)


class SearchBar(Vertical):
    """Shown by '/', hidden by Escape. Posts Submitted and Cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Close search", id="search.cancel")]

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
        search_input = self.query_one(Input)
        search_input.value = query
        search_input.focus()
        self.show_error(None)

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#search-error", Static)
        error.update(Content(message or ""))
        error.display = bool(message)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def action_cancel(self) -> None:
        self.display = False
        self.post_message(self.Cancelled())
