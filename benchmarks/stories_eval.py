"""Where to set the story threshold: pairwise closeness of same-event, same-topic and other pairs.

    python -m benchmarks.stories_eval [-v]

Ingests the sample briefings (four of them second-source reports: another
source's report of a sample event, a day later), and the seed in ``shared/seeds/``
beside the repository when there is one (a clone alone has none; the figures quoted
were taken with it), into a throwaway store, scores every
pair of articles with :func:`briefing.insight.stories.similarity` (the score stories
are built on), and prints the scores by kind of pair:

* same event: a second-source report and its original;
* others within the window: pairs dated within ``WINDOW_DAYS``, the only ones
  that can join a story, and which (one article per event in the samples) should not;
* same topic and other topics, at any distance in time, by the hand-given
  topics below.

The threshold should lie above every "others within the window" pair and
below the same-event pairs; the figures are quoted in :mod:`briefing.insight.stories`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import statistics
import tempfile
from pathlib import Path

from briefing.ingest.files import IngestOptions, ingest
from briefing.insight.related import keyword_weights
from briefing.insight.stories import THRESHOLD, WINDOW_DAYS, similarity
from briefing.store import Store

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "sample_data"
SEEDS = HERE.parent.parent / "shared" / "seeds"

# The six topics of the sample briefings (file names without date and suffix).
TOPICS = {
    "markets": "fed-holds-rates ecb-signals-cut bond-yields-jump sp500-record g7-debt-framework",
    "energy": "opec-output-cut lng-terminal-europe hormuz-tanker-insurance natural-gas-winter "
    "opec-meeting-vienna opec-cut-lifts-brent",
    "diplomacy": "un-ceasefire-vote eu-sanctions-package g7-summit-opens white-house-trade-envoy "
    "beijing-brussels-talks un-humanitarian-corridor council-backs-kessari-truce seed",
    "tech": "eu-ai-act-enforcement chip-export-controls data-center-power "
    "semiconductor-fab-arizona ai-model-safety-summit undersea-cable-outage",
    "health": "covid19-booster-autumn h5n1-dairy-herds who-pandemic-treaty "
    "malaria-vaccine-rollout antibiotic-resistance-report friesland-herd-bird-flu",
    "climate": "cop31-preparations european-heatwave-record carbon-tax-border cop31-opens "
    "arctic-sea-ice antalya-talks-begin",
}
TOPIC_OF = {name: topic for topic, names in TOPICS.items() for name in names.split()}
# Second-source report -> the sample briefing on the same event.
SAME_EVENT = {
    "council-backs-kessari-truce": "un-ceasefire-vote",
    "opec-cut-lifts-brent": "opec-output-cut",
    "friesland-herd-bird-flu": "h5n1-dairy-herds",
    "antalya-talks-begin": "cop31-opens",
}

Pair = tuple[float, str, str, int]  # score, one, other, days apart


def short_name(path: str) -> str:
    stem = Path(path).stem
    return stem[11:] if stem[:4].isdigit() else "seed"


def pairs(store: Store) -> list[Pair]:
    db = store.db
    total = store.articles.total()
    articles = db.execute("SELECT id, path, date FROM articles ORDER BY date, id").fetchall()
    vectors = {
        article_id: {k.keyword_id: k.weight for k in keyword_weights(store, article_id, total)}
        for article_id, _, _ in articles
    }
    found = []
    for (one, one_path, one_date), (two, two_path, two_date) in itertools.combinations(articles, 2):
        days = abs(dt.date.fromisoformat(one_date) - dt.date.fromisoformat(two_date)).days
        score = similarity(vectors[one], vectors[two])
        found.append((score, short_name(one_path), short_name(two_path), days))
    return sorted(found, reverse=True)


def kind(pair: Pair) -> str:
    _, one, two, days = pair
    if SAME_EVENT.get(one) == two or SAME_EVENT.get(two) == one:
        return "same event"
    if days <= WINDOW_DAYS:
        return "others within the window"
    return "same topic" if TOPIC_OF[one] == TOPIC_OF[two] else "other topics"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every scored pair")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "eval.db") as store:
        sources = [SAMPLES, SEEDS] if SEEDS.is_dir() else [SAMPLES]
        ingest(store, sources, IngestOptions(jobs=1))
        scored = pairs(store)
    if not SEEDS.is_dir():
        print(f"(no {SEEDS}: the sample briefings alone)")
    print(f"{len(scored)} pairs; threshold {THRESHOLD}, window {WINDOW_DAYS} days")
    for name in ("same event", "others within the window", "same topic", "other topics"):
        group = [p for p in scored if kind(p) == name]
        scores = [p[0] for p in group]
        above = sum(s >= THRESHOLD for s in scores)
        print(
            f"\n{name}: {len(group)} pairs, mean {statistics.fmean(scores):.3f}, "
            f"max {max(scores):.3f}, {above} at or above the threshold"
        )
        for score, one, two, days in group if args.verbose else group[:5]:
            print(f"  {score:.3f}  {one} / {two}  ({days} days apart)")


if __name__ == "__main__":
    main()
