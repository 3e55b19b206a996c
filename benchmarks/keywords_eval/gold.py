"""The gold keywords: two blind taggings merged by one fixed rule, and the old sample tags.

    python -m benchmarks.keywords_eval --merge    # rewrite gold/merged.json

The rule (also in ``TAGGING.md``): tags are compared by
:func:`briefing.keys.keyword_key` (case, dots, a final plural and a possessive
ignored). The tags both taggers gave come first, ordered by the mean of their
two ranks (ties: tagger A's rank); then the tags only one gave, ordered by their
rank in that tagger's list (ties: A's first). A tag is written as tagger A wrote
it when both gave it. Each file records how many tags both gave and the
agreement, tags given by both over tags given by either (Jaccard).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict

from briefing.keys import keyword_key

HERE = Path(__file__).resolve().parent
BRIEFINGS = HERE / "briefings"
GOLD = HERE / "gold"
MERGED = GOLD / "merged.json"
SAMPLE_GOLD = HERE.parent / "gold"  # the ten sample briefings, tagged once
SAMPLES = HERE.parent.parent / "sample_data"


class Merged(TypedDict):
    tags: list[str]
    both: int  # the first `both` tags were given by both taggers
    agreement: float  # both / either


def merge(a: list[str], b: list[str]) -> Merged:
    """One file's two taggings merged by the rule in the module docstring."""
    rank_a = {keyword_key(t): (i, t) for i, t in reversed(list(enumerate(a)))}
    rank_b = {keyword_key(t): (i, t) for i, t in reversed(list(enumerate(b)))}
    both = sorted(
        (key for key in rank_a if key in rank_b),
        key=lambda key: ((rank_a[key][0] + rank_b[key][0]) / 2, rank_a[key][0]),
    )
    only = sorted(
        [(rank, 0, tag) for key, (rank, tag) in rank_a.items() if key not in rank_b]
        + [(rank, 1, tag) for key, (rank, tag) in rank_b.items() if key not in rank_a]
    )
    either = len(set(rank_a) | set(rank_b))
    return {
        "tags": [rank_a[key][1] for key in both] + [tag for _, _, tag in only],
        "both": len(both),
        "agreement": round(len(both) / either, 3) if either else 1.0,
    }


def merge_files() -> dict[str, Merged]:
    a = json.loads((GOLD / "tagger_a.json").read_text(encoding="utf-8"))
    b = json.loads((GOLD / "tagger_b.json").read_text(encoding="utf-8"))
    if set(a) != set(b):
        raise SystemExit(f"the taggings cover different files: {sorted(set(a) ^ set(b))}")
    return {name: merge(a[name], b[name]) for name in sorted(a)}


def write_merged() -> dict[str, Merged]:
    merged = merge_files()
    MERGED.write_text(json.dumps(merged, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return merged


def load_merged() -> dict[str, Merged]:
    """gold/merged.json, which must be what the rule makes of the two taggings."""
    merged: dict[str, Merged] = json.loads(MERGED.read_text(encoding="utf-8"))
    if merged != merge_files():
        raise SystemExit("gold/merged.json is stale: run with --merge to rebuild it")
    return merged


def load_samples() -> dict[str, list[str]]:
    """The old gold: one tagging of ten bundled sample briefings."""
    gold: dict[str, list[str]] = {}
    for path in sorted(SAMPLE_GOLD.glob("*.json")):
        gold.update(json.loads(path.read_text(encoding="utf-8")))
    return gold
