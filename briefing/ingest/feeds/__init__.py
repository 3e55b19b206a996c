"""RSS and Atom feeds and OPML lists: which sources are feeds, fetching, parsing, HTML to Markdown.

``sources`` is cheap to import and tells feeds from files; the rest (urllib,
feedparser, BeautifulSoup) is loaded only when a feed is named.
"""
