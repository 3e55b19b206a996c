"""The help screen, generated from the bindings in force, so it is never out of date."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def describe_bindings(groups: list[tuple[str, list[Binding]]], format_key: object) -> Content:
    """One section per group: keys (as the keymap has them) and what they do."""
    lines: list[Content] = []
    for title, bindings in groups:
        if not bindings:
            continue
        lines.append(Content(title).stylize("bold underline"))
        for binding in bindings:
            keys = ", ".join(format_key(key) for key in binding.key.split(","))  # type: ignore[operator]
            lines.append(Content.assemble((f"  {keys:<22}", "bold"), binding.description))
        lines.append(Content(""))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works. Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", show=False),
        Binding("space,pagedown", "scroll('page_down')", "Page down", show=False),
        Binding("b,pageup", "scroll('page_up')", "Page up", show=False),
        Binding("g,home", "scroll('home')", "Top", show=False),
        Binding("G,end", "scroll('end')", "Bottom", show=False),
    ]

    def __init__(self, text: Content) -> None:
        super().__init__()
        self.text = text

    def action_scroll(self, where: str) -> None:
        # At once, from where the last key sent it: keys that arrive together all count.
        box = self.query_one(VerticalScroll)
        page = max(1, box.scrollable_content_region.height - 1)
        target = {
            "down": box.scroll_target_y + 1,
            "up": box.scroll_target_y - 1,
            "page_down": box.scroll_target_y + page,
            "page_up": box.scroll_target_y - page,
            "home": 0,
            "end": box.max_scroll_y,
        }[where]
        box.scroll_to(y=target, animate=False, immediate=True)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Content("briefing: keys").stylize("bold"), id="help-title")
            yield Static(self.text, id="help-text")
