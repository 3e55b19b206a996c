"""The reader's help screen (``?``) and command palette (ctrl+p), both made from its bindings.

Neither is a hand-kept list: they read the bindings of the app, the article
list, the reader and the search box, with the keys the config's keymap gave
them, so a new key or a remapped one shows up in both by itself. The palette
also offers every saved view by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape as escape_markup
from textual.screen import Screen
from textual.worker import Worker

from briefing.sanitize import clean_line
from briefing.store.views import SavedView
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader_pane import ReaderPane
from briefing.tui.widgets.search_bar import SearchBar

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "asterisk": "*",
    "space": "space",
    "backspace": "backspace",
}


def format_key(key: str) -> str:
    return KEY_NAMES.get(key.strip(), key.strip())


class HelpCommands(App[None]):
    """Mixed into the reader: the help screen and the palette's commands."""

    # The reader's own state, set up by BriefingApp.
    keymap: dict[str, str]
    views: list[SavedView]

    if TYPE_CHECKING:

        def open_view(self, name: str) -> Worker[None]: ...

    def action_help(self) -> None:
        from briefing.tui.screens.help import HelpScreen, describe_bindings  # on first use

        self.push_screen(HelpScreen(describe_bindings(self.binding_groups(), format_key)))

    def binding_groups(self) -> list[tuple[str, list[Binding]]]:
        """Bindings by where they work, with keys as remapped by the config's keymap."""
        groups = [
            ("Everywhere", self.BINDINGS),
            ("Article list", ArticleList.BINDINGS),
            ("Reader", ReaderPane.BINDINGS),
            ("Search box", SearchBar.BINDINGS),
        ]
        result = []
        for title, bindings in groups:
            remapped = []
            for binding in bindings:
                assert isinstance(binding, Binding)
                keys = self.keymap.get(binding.id or "", binding.key)
                remapped.append(
                    Binding(
                        keys,
                        binding.action,
                        binding.tooltip or binding.description,
                        id=binding.id,
                    )
                )
            result.append((title, remapped))
        panes = [
            Binding("tab", "", "Next pane: list, reader, keywords"),
            Binding("shift+tab", "", "Previous pane"),
        ]
        result.append(("Panes", panes))
        lists = [  # SafeOptionList's keys, with the arrows Textual's OptionList has
            Binding("j,down", "", "Next line"),
            Binding("k,up", "", "Previous line"),
            Binding("g,home", "", "First line"),
            Binding("G,end", "", "Last line"),
            Binding("escape,q", "", "Close the dialog (help, links, trends, views)"),
        ]
        result.append(("Sidebar, related briefings and dialogs", lists))
        result.append(("Keyword sidebar", [Binding("enter", "", "Filter the list by the keyword")]))
        related = [
            Binding("enter", "", "Open the related briefing (Tab from the article reaches them)"),
            Binding("backspace", "", "Back to the article you came from"),
        ]
        result.append(("Related briefings", related))
        result.append(("Command palette", [Binding("ctrl+p", "", "Every action, by name")]))
        return result

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for view in self.views:
            # The palette reads titles and help as markup: a view's text must not be.
            yield SystemCommand(
                escape_markup(f"Open view: {clean_line(view.name)}"),
                escape_markup(view.describe()),
                partial(self.open_view, view.name),
            )
        for title, bindings in self.binding_groups():
            for binding in bindings:
                if not binding.action or title == "Search box":
                    continue
                target = {"Article list": "#list", "Reader": "#reader"}.get(title)
                yield SystemCommand(
                    binding.description,
                    f"{title}: {', '.join(map(format_key, binding.key.split(',')))}",
                    partial(self._run_binding, binding.action, target),
                )

    async def _run_binding(self, action: str, target: str | None) -> None:
        if target is None:
            await self.run_action(action)
        else:
            await self.run_action(action, self.query_one(target))
