"""Two ways to lay the reader out: panes side by side, or stacked one at a time.

With room (:data:`NARROW_WIDTH` columns or more) the list, the open article and
the keyword sidebar sit side by side. Below that, three panes leave each too
little (list titles of 20 characters at 80 columns, a reader 5 columns wide at
40x12), so the reader stacks them as mutt and newsboat do: the list full width
with the date on each row, Enter opens the article full screen, q or Escape goes
back to the list with the cursor where it was, and K shows the keywords in the
list's place. The config's ``layout`` can fix either way.

The mode is one reactive, computed from the width and the config; its watcher
sets a class on the screen and app.tcss does the layout. In a stack the pane in
front is the one holding the focus, so the keys that already move the focus
(Enter, Escape, K, a click) bring panes forward with no second meaning, and Tab
only ever reaches what is on screen: a hidden pane has nothing in the focus chain.

The list stays laid out under the pane in front (app.tcss puts the reader and the
keywords on a layer above it), so going back to it resizes nothing and its rows
come back as they were. The pane in front is shown by its own ``display``, not by
a class: a class on the screen restyles every widget (13 ms on each Enter and
Escape), a class on the pane every widget in it.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.widget import Widget

from briefing.tui.sidebar_actions import NARROW_WIDTH, SidebarActions
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.search_bar import SearchBar
from briefing.tui.widgets.sidebar import KeywordSidebar

STACK = "-stack"  # the screen's class in a stack
FRONT_PANES: dict[type[Widget], str] = {ReaderPane: "reader", KeywordSidebar: "keywords"}


def layout_for(setting: str, width: int) -> str:
    """ "panes" or "stack": the config's choice, or by the width when it says auto."""
    if setting in ("panes", "stack"):
        return setting
    return "stack" if width < NARROW_WIDTH else "panes"


class LayoutActions(SidebarActions):
    """Mixed into the reader: the layout's mode, the pane in front of a stack, and what
    q and K do there."""

    layout_mode: reactive[str] = reactive("panes", init=False)
    _front: str | None = None  # the pane a stack shows over the list (None: the list)

    @property
    def stacked(self) -> bool:
        return self.layout_mode == "stack"

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int | None = None) -> None:
        """Set the mode for this width (the watcher lays it out) and fold the sidebar.

        A pane that the new layout hides gives the focus back to the list, so a
        resize never leaves the keys going to something off screen.
        """
        width = width or self.size.width
        self.layout_mode = layout_for(self.config.layout, width)
        self._apply_sidebar(width)
        main = self.default_screen
        focused = main.focused
        if focused is not None and not all(node.display for node in focused.ancestors_with_self):
            main.set_focus(main.query_one(ArticleList))

    def watch_layout_mode(self, mode: str) -> None:
        main = self.default_screen
        main.set_class(mode == "stack", STACK)
        main.query_one(ArticleList).show_date_headings(mode != "stack")
        if mode == "stack":
            self._bring_forward(main.focused)
        else:
            for pane in FRONT_PANES:
                main.query_one(pane).styles.display = None  # app.tcss decides again
        self.refresh_bindings()  # the footer shows q as Back only in a stacked reader

    def _start_layout(self) -> None:
        """Lay the reader out for its first size, and bring panes forward with the focus."""
        self.watch(self.default_screen, "focused", self._bring_forward)
        self._apply_layout()

    def _bring_forward(self, focused: Widget | None) -> None:
        """In a stack, show the pane that holds the focus. The search box keeps what was
        in front (it docks below it), through a resize to panes and back too; the list is
        in front for anything else."""
        if not self.stacked:
            return
        if focused is None or not _pane(focused, {SearchBar: "search"}):
            self._front = None if focused is None else _pane(focused, FRONT_PANES)
        main = self.default_screen
        front = self._front
        for pane, name in FRONT_PANES.items():
            main.query_one(pane).display = name == front

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # q in a stacked reader goes back to the list; anywhere else it is the app's quit
        # (a binding that is not allowed lets the key through to the next one).
        if action == "close_article":
            return self.stacked
        return super().check_action(action, parameters)

    def action_close_article(self) -> None:
        """q in a stacked reader: back to the list, as in mutt's pager."""
        self.default_screen.query_one(ArticleList).focus()

    def action_toggle_sidebar(self) -> None:
        """K: in panes, show or hide the sidebar; in a stack, the keywords in front or the
        list back."""
        if not self.stacked:
            super().action_toggle_sidebar()
            return
        main = self.default_screen
        if main.focused is not None and _pane(main.focused, FRONT_PANES) == "keywords":
            main.query_one(ArticleList).focus()
            return
        sidebar = main.query_one(KeywordSidebar)
        sidebar.display = True  # shown, so it can take the focus
        sidebar.build()  # a K typed before the first screen was drawn
        main.query_one("#top-keywords").focus()
        self._show_article_keywords()
        self.reload_top_keywords()  # the trend is drawn only while the sidebar shows


def _pane(widget: Widget, panes: Mapping[type[Widget], str]) -> str | None:
    """The name of the pane ``widget`` is in (or is), if it is one of ``panes``."""
    node: DOMNode | None = widget
    while isinstance(node, Widget):
        for pane, name in panes.items():
            if isinstance(node, pane):
                return name
        node = node.parent
    return None


__all__ = ["NARROW_WIDTH", "STACK", "LayoutActions", "layout_for"]
