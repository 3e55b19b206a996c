"""What the store's keywords tell: extraction, related briefings, stories, trends, the digest.

Algorithms over :class:`~briefing.store.Store` queries; they write no SQL of
their own. Ingest calls :mod:`~briefing.insight.keywords` and
:func:`~briefing.insight.stories.place_article`; the reader and the CLI call the rest.
"""
