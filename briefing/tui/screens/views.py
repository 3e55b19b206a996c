"""Saving and opening saved views: a name prompt, and a list of the views.

Both are modal screens that only return a choice; the app does the store
work in a worker. Names and descriptions come from the store and are shown as
plain :class:`Content`, never markup.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from briefing.sanitize import terminal_line
from briefing.store.views import NAME_MAX, SavedView, ViewError, check_name
from briefing.tui.widgets.option_list import SafeOptionList
from briefing.tui.widgets.steady_input import SteadyInput


class SaveViewScreen(ModalScreen[str | None]):
    """Ask for a name; Enter returns it, Escape returns None."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="save_view.cancel")]

    def __init__(self, suggestion: str, describes: str, taken: set[str]) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.describes = describes
        self.taken = taken

    def compose(self) -> ComposeResult:
        with Vertical(id="save-view-box", classes="modal-box"):
            yield Static(Content("Save this view as").stylize("bold"))
            yield Static(Content(terminal_line(self.describes)).stylize("dim"), id="save-view-what")
            yield SteadyInput(value=self.suggestion, id="save-view-name", max_length=NAME_MAX)
            yield Static(id="save-view-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#save-view-error", Static).display = False

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        error = self.query_one("#save-view-error", Static)
        name = event.value.strip()
        if name in self.taken:
            error.update(Content(f"Enter replaces the view {terminal_line(name)!r}."))
            error.display = True
        else:
            error.display = False

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            name = check_name(event.value)
        except ViewError as problem:
            error = self.query_one("#save-view-error", Static)
            error.update(Content(f"{str(problem).capitalize()}."))
            error.display = True
            return
        self.dismiss(name)


class ViewsScreen(ModalScreen[tuple[str, str] | None]):
    """The saved views: Enter opens one, d deletes one, Escape closes.

    Returns ``("open", name)`` or ``("delete", name)``.
    """

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="views.close"),
        Binding("d,delete", "delete", "Delete view", id="views.delete"),
    ]

    def __init__(self, views: list[SavedView]) -> None:
        super().__init__()
        self.views = views

    def compose(self) -> ComposeResult:
        with Vertical(id="views-box", classes="modal-box"):
            yield Static(Content("Saved views: Enter opens, d deletes").stylize("bold"))
            if self.views:
                yield SafeOptionList(
                    *(
                        Option(
                            Content.assemble(
                                terminal_line(view.name), "\n  ", (view.describe(), "dim")
                            ),
                            id=str(index),
                        )
                        for index, view in enumerate(self.views)
                    ),
                    id="views",
                )
            else:
                yield Static(Content("No saved views yet: w saves the list as it is now."))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(("open", self.views[int(event.option.id or 0)].name))

    def action_delete(self) -> None:
        if not self.views:
            return
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self.dismiss(("delete", self.views[highlighted].name))
