"""The store: the only package that writes SQL (see :mod:`briefing.store.store`)."""

from briefing.store.errors import QueryError, StoreError, UnknownArticle, describe_error
from briefing.store.store import Store

__all__ = ["QueryError", "Store", "StoreError", "UnknownArticle", "describe_error"]
