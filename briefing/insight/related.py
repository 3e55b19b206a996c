"""Related briefings: the articles closest to one article, by the keywords they share.

Two articles are as close as the keywords they share are telling. Each keyword
of an article gets a weight, ``rarity x strength``:

* rarity is the keyword's inverse document frequency, ``ln(1 + N / df)`` with
  ``N`` articles in the store and ``df`` of them having the keyword
  (``keywords.article_count``, kept by triggers). "U.S." in every fifth article
  says little; "Kessari Liberation Front" in three says a lot. The ``1 +`` keeps a
  keyword that every article has from counting as nothing at all, and keeps the
  weights sensible in a store of three articles;
* strength comes from YAKE's score in that article (lower is better):
  ``SCORE_SCALE / (SCORE_SCALE + score)``, 1 for a perfect score, one half at
  ``SCORE_SCALE``. In the sample briefings an article's first keyword scores
  0.01-0.07 and its tenth 0.08-0.2, so the best keyword weighs about twice the
  tenth: position matters, but rarity matters more. The curve matters little
  for stories: on ``benchmarks/stories_eval.py``, with 0.05, 0.1 or no
  weighting at all, each same-event pair's score moves by at most 0.04 and the
  unrelated pairs in the window stay at or below 0.191.

The closeness of two articles is the sum over their shared keywords of the
product of the two weights (the dot product of their tf-idf vectors), and a
related article's shared keywords are listed by their share of that sum.
:mod:`briefing.insight.stories` divides the same sum by the vectors' lengths (the
cosine) to get a closeness on a fixed 0-1 scale that a threshold can be set on.

The query never scans all articles. It walks each of the article's (at most
ten) keywords through the index ``idx_article_keywords_newest (keyword_id,
article_date DESC, article_id DESC)``, which holds everything the walk needs,
taking at most :data:`POSTINGS_PER_KEYWORD` articles per keyword, around the
article's own date. Only the best candidates are then scored exactly, by
primary key. The work is bounded by ten keywords times the cap, whatever the
size of the store: 3 ms (median) at 100,000 articles (benchmarks/bench_queries.py).

Why the cap is safe: a keyword with more articles than the cap is common, so
its rarity is low (at 100,000 articles, a keyword in 400 or more has at most
``ln(1 + 250) = 5.5`` against 10.8 for a keyword found twice), and an article
that shares *only* such keywords with this one is the weakest kind of match.
Every article that shares a rarer keyword is still found, through that
keyword's complete list, and is then scored on all the keywords it shares,
common ones included. What the cap drops is some of the many articles whose
only link is a common keyword, keeping those nearest in date, which are the
ones most likely to be about the same events.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.models import RelatedArticle
from briefing.store import Store, UnknownArticle

__all__ = ["UnknownArticle", "related"]

# The YAKE score at which a keyword counts half as much as a perfect one.
SCORE_SCALE = 0.1
# Articles taken from each keyword's list: the cost of the query is bounded by this.
POSTINGS_PER_KEYWORD = 400
# Candidates scored exactly at a time, best upper bound first.
RESCORE_CHUNK = 64


@dataclass(frozen=True)
class KeywordWeight:
    """One keyword of one article, weighted: ``rarity * strength``."""

    keyword_id: int
    display: str
    article_count: int  # articles with the keyword, this one included
    rarity: float
    weight: float


def rarity(article_total: int, article_count: int) -> float:
    """Inverse document frequency: ``ln(1 + N / df)``."""
    return math.log(1 + max(article_total, 1) / max(article_count, 1))


def strength(yake_score: float) -> float:
    """How strongly a keyword belongs to its article, from YAKE's score (lower is better)."""
    return SCORE_SCALE / (SCORE_SCALE + max(yake_score, 0.0))


def keyword_weights(store: Store, article_id: int, total: int) -> list[KeywordWeight]:
    """An article's keywords with their weights, heaviest first."""
    weights = []
    for keyword_id, display, score, count in store.keywords.weighted_of(article_id):
        idf = rarity(total, count)
        weights.append(KeywordWeight(keyword_id, display, count, idf, idf * strength(score)))
    return sorted(weights, key=lambda k: -k.weight)


def related(store: Store, article_id: int, limit: int = 5) -> list[RelatedArticle]:
    """The ``limit`` articles closest to ``article_id``, closest first.

    Raises :class:`UnknownArticle` if there is no such article. An article with
    no keywords, or none shared with another article, has no related articles.
    """
    date = store.articles.date_of(article_id)
    total = store.articles.total()
    keywords = keyword_weights(store, article_id, total)
    bounds = _candidate_bounds(store, article_id, date, keywords)
    scored = _best_exact(store, keywords, bounds, limit)
    summaries = store.articles.summaries([candidate for candidate, _ in scored])
    display = {k.keyword_id: k.display for k in keywords}
    results = []
    for candidate, contributions in scored:
        shared = sorted(contributions.items(), key=lambda item: -item[1])
        results.append(
            RelatedArticle(
                article=summaries[candidate],
                score=round(sum(contributions.values()), 4),
                shared_keywords=tuple(display[keyword_id] for keyword_id, _ in shared),
            )
        )
    return results


def _candidate_bounds(
    store: Store, article_id: int, date: str | None, keywords: Sequence[KeywordWeight]
) -> dict[int, float]:
    """Articles sharing a keyword, each with an upper bound of its closeness.

    The other article's strength for a keyword is at most 1, so ``weight *
    rarity`` bounds each shared keyword's part of the sum. Only the index is
    read here; scores are read later, for the best candidates only.
    """
    bounds: dict[int, float] = {}
    for keyword in keywords:
        if keyword.article_count < 2:  # this article's alone
            continue
        postings = store.keywords.postings_around(keyword.keyword_id, date, POSTINGS_PER_KEYWORD)
        for candidate in postings:
            if candidate != article_id:
                bounds[candidate] = bounds.get(candidate, 0.0) + keyword.weight * keyword.rarity
    return bounds


def _best_exact(
    store: Store, keywords: Sequence[KeywordWeight], bounds: dict[int, float], limit: int
) -> list[tuple[int, dict[int, float]]]:
    """The ``limit`` closest candidates with each shared keyword's part of the sum.

    Candidates are scored exactly in order of their upper bound, a chunk at a
    time, until no candidate left could beat the ``limit``-th best so far.
    """
    if not keywords or limit < 1:
        return []
    weight = {k.keyword_id: k.weight for k in keywords}
    rarities = {k.keyword_id: k.rarity for k in keywords}
    order = sorted(bounds, key=lambda candidate: (-bounds[candidate], -candidate))
    best: list[tuple[float, int, dict[int, float]]] = []
    for start in range(0, len(order), RESCORE_CHUNK):
        chunk = order[start : start + RESCORE_CHUNK]
        if len(best) >= limit and bounds[chunk[0]] < best[limit - 1][0]:
            break
        contributions: dict[int, dict[int, float]] = {candidate: {} for candidate in chunk}
        for candidate, keyword_id, score in store.keywords.scores(chunk, list(weight)):
            contributions[candidate][keyword_id] = (
                weight[keyword_id] * rarities[keyword_id] * strength(score)
            )
        best += [
            (sum(parts.values()), candidate, parts) for candidate, parts in contributions.items()
        ]
        best.sort(key=lambda item: (-item[0], -item[1]))
        del best[limit:]
    return [(candidate, parts) for _, candidate, parts in best]
