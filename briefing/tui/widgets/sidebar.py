"""The keyword sidebar: filters, saved views, this article's keywords, the top keywords.

Choosing a keyword (Enter or click) posts :class:`KeywordSidebar.Chosen`; the
app narrows the list to articles that have it. Every prompt is a
:class:`Content` built from plain text, so a keyword can never be markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from briefing.models import ArticleKeyword, KeywordCount
from briefing.sanitize import terminal_line
from briefing.tui.widgets.option_list import SafeOptionList

FRAMES_WAITED = 10  # frames the sidebar waits for the first article before it is built


class KeywordSidebar(Vertical):
    class Chosen(Message):
        """A keyword was chosen as a filter."""

        def __init__(self, key: str, display: str) -> None:
            super().__init__()
            self.key = key
            self.display = display

    class ViewChosen(Message):
        """A saved view was chosen: the app opens it."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._displays: dict[str, str] = {}
        # Its widgets (three OptionLists, ~13 ms to mount and style) are made after the
        # first screen is painted, or at once when it is shown; until then the latest
        # call of each show_* waits here.
        self.built = False
        self._pending: dict[str, tuple[Any, ...]] = {}
        self._frames_waited = 0

    def compose(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.call_after_refresh(self._build_after_first_screen)

    def _build_after_first_screen(self) -> None:
        """After the frame that shows the open article (or a few frames, if none opens)."""
        self._frames_waited += 1
        if getattr(self.app, "article", None) is None and self._frames_waited < FRAMES_WAITED:
            self.call_after_refresh(self._build_after_first_screen)
        else:
            self.build()

    def build(self) -> None:
        """Mount the sidebar's widgets and show what it was given meanwhile."""
        if self.built:
            return
        self.built = True
        self.mount_all(list(self._parts()))
        pending, self._pending = self._pending, {}
        for name, args in pending.items():
            getattr(self, name)(*args)

    def _later(self, name: str, *args: Any) -> bool:
        """Keep a call until the widgets exist; True if it was kept."""
        if self.built:
            return False
        if self.display and self.is_mounted:
            self.build()
            return False
        self._pending[name] = args
        return True

    def _parts(self) -> ComposeResult:
        yield Static(id="breadcrumb", markup=False)
        yield Static(id="trend", markup=False)
        yield Label("Views", classes="sidebar-heading", id="views-heading")
        yield SafeOptionList(id="views")
        yield Label("This article", classes="sidebar-heading")
        yield SafeOptionList(id="article-keywords")
        yield Label("Top keywords", classes="sidebar-heading", id="top-heading")
        yield SafeOptionList(id="top-keywords")

    def show_filters(self, displays: Sequence[str], extra: Sequence[str] = ()) -> None:
        """The breadcrumb: All › Gaza › Rafah, then other conditions."""
        if self._later("show_filters", displays, extra):
            return
        parts = ["All", *(terminal_line(d) for d in displays)]
        glyphs = getattr(self.app, "glyphs", None)
        crumb = Content(f" {glyphs.crumb if glyphs else '›'} ".join(parts))
        if extra:
            crumb = crumb + Content("\n" + " · ".join(extra)).stylize("italic")
        self.query_one("#breadcrumb", Static).update(crumb)

    def show_trend(self, trend: Content | None) -> None:
        """The filtered keyword's articles per day, under the breadcrumb."""
        if self._later("show_trend", trend):
            return
        widget = self.query_one("#trend", Static)
        widget.update(trend or "")
        widget.display = trend is not None

    def show_views(self, names: Sequence[str]) -> None:
        """The saved views, by name; the section is hidden while there are none."""
        if self._later("show_views", names):
            return
        views = self.query_one("#views", OptionList)
        self._replace(views, [Option(Content(terminal_line(n)), id=f"v:{n}") for n in names])
        views.display = bool(names)
        self.query_one("#views-heading").display = bool(names)

    def show_article_keywords(self, keywords: Sequence[ArticleKeyword]) -> None:
        if self._later("show_article_keywords", keywords):
            return
        self._displays.update((k.key, terminal_line(k.display)) for k in keywords)
        options = [
            Option(
                Content.assemble((f"{k.rank:>2} ", "dim"), terminal_line(k.display)),
                id=f"k:{k.key}",
            )
            for k in keywords
        ]
        self._replace(self.query_one("#article-keywords", OptionList), options)

    def show_top_keywords(self, keywords: Sequence[KeywordCount], active: Sequence[str]) -> None:
        if self._later("show_top_keywords", keywords, active):
            return
        self._displays.update((k.key, terminal_line(k.display)) for k in keywords)
        options = [
            Option(
                Content.assemble(terminal_line(k.display), (f" {k.article_count}", "dim")),
                id=f"k:{k.key}",
            )
            for k in keywords
            if k.key not in active
        ]
        self._replace(self.query_one("#top-keywords", OptionList), options)

    def _replace(self, option_list: OptionList, options: list[Option]) -> None:
        highlighted = option_list.highlighted
        option_list.set_options(options)
        if options:
            option_list.highlighted = min(highlighted or 0, len(options) - 1)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("k:"):
            key = option_id[2:]
            self.post_message(self.Chosen(key, self._displays.get(key, key)))
        elif option_id.startswith("v:"):
            self.post_message(self.ViewChosen(option_id[2:]))
