"""Related briefings, under the article: the five closest, each with the keywords it shares.

Enter (or a click) opens one in the reader, and the app keeps a history like a
browser's, so Backspace returns. Titles and keywords are article text, shown
as plain :class:`Content`.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.models import RelatedArticle
from briefing.sanitize import terminal_line
from briefing.tui.widgets.option_list import SafeOptionList

SHARED_SHOWN = 4  # keywords named per related article


class RelatedList(SafeOptionList):
    """The related articles of the open one; hidden when there are none."""

    class Opened(Message):
        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def show(self, related: Sequence[RelatedArticle]) -> None:
        self.set_options(
            Option(
                Content.assemble(
                    (f"{item.article.date or 'undated'} ", "dim"),
                    terminal_line(item.article.title),
                    ("\n  shares: ", "dim"),
                    (
                        ", ".join(terminal_line(k) for k in item.shared_keywords[:SHARED_SHOWN]),
                        "italic",
                    ),
                ),
                id=str(item.article.id),
            )
            for item in related
        )
        self.display = bool(related)
        if related:
            self.highlighted = 0

    @on(OptionList.OptionSelected)
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Opened(int(event.option.id or 0)))
