"""What the keys do to the open article's pane: highlight keywords, page down, copy links,
and whether it follows the list's cursor.

The reader often runs on a server over SSH, so a link never opens a browser
there: ``l`` lists the article's links and the chosen one (or a clicked one)
goes to the person's own clipboard through the terminal (OSC 52).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.worker import Worker

from briefing.models import Article
from briefing.sanitize import clean_line
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.markdown_body import MarkdownBody
from briefing.tui.widgets.reader_pane import ReaderPane, links_of


class ReaderActions(App[None]):
    """Mixed into the reader: keyword highlighting, paging and links."""

    # The reader's own state, set up by BriefingApp.
    article: Article | None
    highlight_keywords: bool
    preview: str
    history: list[int]

    if TYPE_CHECKING:

        async def _show_article(self) -> None: ...

        def load_article(self, article_id: int) -> Worker[None]: ...

    def action_toggle_preview(self) -> None:
        """p: the reader shows the article under the cursor as it moves (a redraw of
        the pane per key, fine on a fast line), or only what Enter opens (newsboat's
        way, and the default: a key then costs a few bytes over SSH)."""
        self.preview = "follow" if self.preview == "open" else "open"
        current = self.query_one(ArticleList).current
        shown = self.article.id if self.article else None
        if self.preview == "follow" and current is not None and current.id != shown:
            self.history.clear()
            self.load_article(current.id)
        message = {
            "follow": "The reader follows the cursor",
            "open": "The reader shows what Enter opens",
        }[self.preview]
        self.notify(f"{message} (p switches)", timeout=3)

    async def action_toggle_highlight(self) -> None:
        self.highlight_keywords = not self.highlight_keywords
        await self._show_article()
        state = "on" if self.highlight_keywords else "off"
        self.notify(f"Keyword highlighting {state}", timeout=2)

    def action_reader_page(self) -> None:
        self.query_one(ReaderPane).action_page_down()

    @work(exclusive=True, group="links")
    async def action_links(self) -> None:
        if self.article is None:
            return
        # A thread: a long body takes a while to scan, and keys must not wait for it.
        links = await asyncio.to_thread(links_of, self.article.body)

        def copy(address: str | None) -> None:
            if address:
                self._copy_link(address)

        from briefing.tui.screens.links import LinksScreen  # on first use

        self.push_screen(LinksScreen(links), copy)

    @on(MarkdownBody.LinkClicked)
    def _link_clicked(self, event: MarkdownBody.LinkClicked) -> None:
        event.stop()
        self._copy_link(event.href)

    def _copy_link(self, address: str) -> None:
        """Links never open a browser on the server: the address goes to the clipboard."""
        address = clean_line(address)
        self.copy_to_clipboard(address)
        self.notify(f"Copied link to clipboard (OSC 52): {address}", markup=False, timeout=4)
