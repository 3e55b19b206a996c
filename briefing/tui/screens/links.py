"""The links of the open article, to copy one with OSC 52: no browser runs on a server."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.tui.widgets.option_list import SafeOptionList


class LinksScreen(ModalScreen[str | None]):
    """Pick a link with Enter to copy its address; Escape closes."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="links.close")]

    def __init__(self, links: list[tuple[str, str]]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box"):
            yield Static(Content("Links: Enter copies the address").stylize("bold"))
            if self.links:
                yield SafeOptionList(
                    *(
                        Option(Content.assemble(text, "\n  ", (address, "dim")), id=str(i))
                        for i, (text, address) in enumerate(self.links)
                    ),
                    id="links",
                )
            else:
                yield Static(Content("This article has no links."))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[int(event.option.id or 0)][1])
