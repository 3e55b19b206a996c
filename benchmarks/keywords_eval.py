"""Keyword quality: raw YAKE against briefing's extraction, on hand-tagged briefings.

    python -m benchmarks.keywords_eval [-v]

The gold lists in ``benchmarks/gold/*.json`` were written by hand for sample
briefings: the 8-10 tags a reader would give each one. A predicted keyword
counts as a hit when its normalised key equals a gold key (so "U.S." = "US",
"sanctions" = "sanction"); "lenient" also counts a prediction that contains a
gold tag as whole words or is contained in one ("Brent crude" for
"Brent crude oil"). Redundant pairs are pairs of predictions sharing more than
half of their words. Raw YAKE is run as a user would: default settings, top
10, on the article text without its date header.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from briefing.ingest.parse import keyword_text, parse_briefing
from briefing.insight.keywords import extract_keywords, raw_yake
from briefing.keys import keyword_key

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "sample_data"


def _words(key: str) -> set[str]:
    return set(key.split())


def _lenient_match(predicted: str, gold: str) -> bool:
    p, g = f" {predicted} ", f" {gold} "
    return p == g or g in p or p in g


def score(predicted: list[str], gold: list[str]) -> dict[str, float]:
    predicted_keys = [keyword_key(p) for p in predicted][:10]
    gold_keys = {keyword_key(g) for g in gold}
    strict_hits = [p for p in predicted_keys if p in gold_keys]
    lenient_hits = [p for p in predicted_keys if any(_lenient_match(p, g) for g in gold_keys)]
    gold_found = {g for g in gold_keys if any(_lenient_match(p, g) for p in predicted_keys)}
    redundant = sum(
        1
        for i, a in enumerate(predicted_keys)
        for b in predicted_keys[i + 1 :]
        if len(_words(a) & _words(b)) * 2 > min(len(_words(a)), len(_words(b)))
    )
    return {
        "p_strict": len(strict_hits) / 10,
        "r_strict": len(set(strict_hits)) / len(gold_keys),
        "p_lenient": len(lenient_hits) / 10,
        "r_lenient": len(gold_found) / len(gold_keys),
        "redundant": redundant,
    }


def load_gold() -> dict[str, list[str]]:
    gold: dict[str, list[str]] = {}
    for path in sorted((HERE / "gold").glob("*.json")):
        gold.update(json.loads(path.read_text()))
    return gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print each article's lists")
    args = parser.parse_args()
    gold = load_gold()
    totals = {"before": [], "after": []}  # type: dict[str, list[dict[str, float]]]
    header = f"{'article':44} {'':6} {'P@10':>5} {'R@10':>5} {'P@10~':>5} {'R@10~':>5} {'dup':>4}"
    print(header)
    for name, tags in gold.items():
        path = SAMPLES / name
        data = path.read_bytes()
        article = parse_briefing(data, path)
        raw_text = re.sub(r"\A\s*date\s+\S+\s*", "", data.decode("utf-8-sig"))
        before = [k for k, _ in raw_yake(raw_text)]
        after = [k.display for k in extract_keywords(keyword_text(article))]
        for label, predicted in (("before", before), ("after", after)):
            s = score(predicted, tags)
            totals[label].append(s)
            print(
                f"{name[:44]:44} {label:6} {s['p_strict']:5.2f} {s['r_strict']:5.2f} "
                f"{s['p_lenient']:5.2f} {s['r_lenient']:5.2f} {s['redundant']:4d}"
            )
            if args.verbose:
                print("    " + " | ".join(predicted))
    print("-" * len(header))
    for label, rows in totals.items():
        mean = {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}
        print(
            f"{'mean over ' + str(len(rows)) + ' articles':44} {label:6} "
            f"{mean['p_strict']:5.2f} {mean['r_strict']:5.2f} {mean['p_lenient']:5.2f} "
            f"{mean['r_lenient']:5.2f} {mean['redundant']:4.1f}"
        )
    print("P/R: exact normalised match; ~: lenient (containment); dup: redundant pairs in top 10")


if __name__ == "__main__":
    main()
