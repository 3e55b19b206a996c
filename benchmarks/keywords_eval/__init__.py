"""Keyword quality: briefing's extraction against raw YAKE, on 66 hand-tagged briefings.

    python -m benchmarks.keywords_eval [-v] [--style STYLE] [--half odd|even] [--rounds N]

The briefings (``briefings/``, described in its README) are in eight styles
people really feed briefing: wire copy, the reference format, Markdown with
and without front matter, feed entries, headline-case sports and markets,
press releases, and Chinese and Japanese news. Each was tagged blind by two
people under the rules in ``TAGGING.md``; the taggings are merged by a fixed
rule (:mod:`.gold`) into ``gold/merged.json``. The ten bundled sample briefings,
tagged once for the first evaluation, are scored as the style ``samples``.

Both extractors see what they would see in use: briefing the file parsed and
turned into :func:`briefing.ingest.parse.keyword_text`, raw YAKE (English, top
10, default settings, as ``--lang en`` would run it) the file's text without its
date header and front matter. The scores are in :mod:`.score`. Throughput is
keyword extraction alone on the same texts (briefing's keyword text, parsing
not counted), taken turn about with YAKE alone ``--rounds`` times; the ratio
is YAKE's time over briefing's, the median round reported, for the English
texts and for the Chinese and Japanese ones apart. ``--half odd`` or
``--half even`` scores one half of the files (by their number), so that a change
tuned on one half can be checked on the other.
"""
