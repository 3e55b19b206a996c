"""The store: the only package that writes SQL (see :mod:`briefing.store.store`).

``Store`` is imported on first use, so that code needing only the errors (the
command line's last-resort handler) does not load the store's modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefing.store.errors import QueryError, StoreError, UnknownArticle, describe_error

if TYPE_CHECKING:
    from briefing.store.store import Store

__all__ = ["QueryError", "Store", "StoreError", "UnknownArticle", "describe_error"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from briefing.store.store import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
