"""Saved views in the reader: ``w`` saves the filters and search, ``v`` opens or deletes one.

A view is stored in the database (see :mod:`briefing.store.views`), so the
reader lists, saves, opens and deletes them on the store thread in the "views"
worker group. A view is a :class:`ListQuery` kept under a name: opening one
assigns it as the list's query, filters and search at once.
"""

from __future__ import annotations

import dataclasses

from textual import on, work

from briefing.sanitize import clean_line
from briefing.store import StoreError
from briefing.store.views import SavedView, ViewError
from briefing.tui.list_state import ListState
from briefing.tui.query import ListQuery
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.sidebar import KeywordSidebar


class ViewsActions(ListState):
    """Mixed into the reader: the saved views' actions and their workers."""

    # The reader's own state, set up by BriefingApp.
    views: list[SavedView]

    @work(exclusive=True, group="views")
    async def reload_views(self) -> None:
        self.views = await self.runner.call(self.store.views.all)
        self.query_one(KeywordSidebar).show_views([view.name for view in self.views])

    def action_save_view(self) -> None:
        if self.store.state_read_only:
            self.notify("The database is read-only: views cannot be saved.", severity="warning")
            return
        view = self.list_query.as_view("")
        names = self.list_query.crumbs()
        if self.list_query.search:
            names.append(self.list_query.search)
        suggestion = clean_line(" ".join(names))[:40].strip()

        def save(name: str | None) -> None:
            if name:
                self.save_view(dataclasses.replace(view, name=name))

        taken = {v.name for v in self.views}
        from briefing.tui.screens.views import SaveViewScreen  # on first use

        self.push_screen(SaveViewScreen(suggestion, view.describe(), taken), save)

    @work(group="views")
    async def save_view(self, view: SavedView) -> None:
        try:
            saved = await self.runner.call(self.store.views.save, view)
        except (StoreError, ViewError) as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.notify(f"Saved view {saved.name!r}: {saved.describe()}", markup=False, timeout=3)
        self.reload_views()

    def action_views(self) -> None:
        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            what, name = choice
            if what == "open":
                self.open_view(name)
            else:
                self.delete_view(name)

        from briefing.tui.screens.views import ViewsScreen  # on first use

        self.push_screen(ViewsScreen(self.views), chosen)

    @on(KeywordSidebar.ViewChosen)
    def _view_chosen(self, event: KeywordSidebar.ViewChosen) -> None:
        self.open_view(event.name)
        self.query_one(ArticleList).focus()

    @work(group="views")
    async def open_view(self, name: str) -> None:
        """The view's query becomes the list's: one reload, with its search if it has one."""
        view = await self.runner.call(self.store.views.get, name)
        if view is None:
            self.notify(f"There is no view named {name!r} any more.", markup=False)
            self.reload_views()
            return
        self.list_query = ListQuery.from_view(view)
        self.notify(f"View {view.name!r}", markup=False, timeout=2)

    @work(group="views")
    async def delete_view(self, name: str) -> None:
        try:
            deleted = await self.runner.call(self.store.views.delete, name)
        except StoreError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        if deleted:
            self.notify(f"Deleted view {name!r}", markup=False, timeout=3)
        self.reload_views()
