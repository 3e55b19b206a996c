"""Turning briefing files and feeds into stored articles: walk, parse, extract keywords, save.

``files`` ingests files and directories, ``parse`` reads one file's bytes,
``watch`` ingests files as they land, and ``feeds`` fetches RSS, Atom and OPML.
Nothing is imported here, so a command that never ingests loads none of it.
"""
