"""A deterministic corpus of generated briefings, as files or as a ready store.

    python -m benchmarks.corpus files 2000 /tmp/corpus     # reference-format files
    python -m benchmarks.corpus store 100000 /tmp/100k.db  # a store, built in bulk

Articles draw their words from the sample briefings' vocabulary with its real
frequencies, so word and sentence lengths look like news, and each mentions a
handful of recurring names and terms (picked with a Zipf distribution, so a
few are in thousands of articles and most in a few), so keywords recur and
filtering by one is meaningful. Article ``i`` depends only on the seed and
``i``: any N is a prefix of a larger N.

``build_store`` is the fast way to a big store for the reader benchmarks: it
inserts articles with precomputed keywords (the names each article was built
around) in bulk, then groups them into stories in one pass, as ingest would
have one at a time. It is *not* the ingest path; the ingest benchmark runs the
real ``briefing ingest`` on generated files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import itertools
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from briefing.keywords import keyword_key
from briefing.parse import parse_briefing
from briefing.store import Store
from briefing.stories import MAX_STORY_DAYS, THRESHOLD, WINDOW_DAYS, assign_all

# Stories are grouped again when their rules change.
STORY_RULES = f"{THRESHOLD}:{WINDOW_DAYS}:{MAX_STORY_DAYS}"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
SEED = 20261125
LAST_DAY = dt.date(2026, 11, 24)
DAYS = 3 * 365

TOPICS = """
White House|U.S.|E.U.|U.N.|Federal Reserve|OPEC|European Central Bank|G7|Brussels|Beijing|
ceasefire|sanctions|interest rates|inflation|crude oil|natural gas|bond yields|LNG|
Strait of Hormuz|Security Council|World Health Organization|European Commission|
artificial intelligence|semiconductor|COVID-19|data centers|chip exports|vaccine|
clinical trial|emissions|carbon tax|heatwave|COP31|Paris Agreement|Saudi Arabia|Russia|
China|Japan|India|Brazil|Germany|France|Ukraine|Taiwan|Australia|Canada|Mexico|Turkey|
Iran|Israel|Gaza|Kessari|Marduna|Teral|supply chains|shipping|tariffs|trade deal|
labor market|housing market|stock markets|S&P 500|Nasdaq|Treasury|Bank of England|
Bank of Japan|IMF|World Bank|NATO|African Union|climate finance|drought|wildfires|
floods|hurricane season|electric vehicles|batteries|lithium|copper|wheat|grain exports|
food prices|fertilizer|refugees|humanitarian aid|election|parliament|prime minister|
supreme court|cybersecurity|ransomware|undersea cables|satellites|space launch|
nuclear talks|uranium|wind power|solar power|hydrogen|carbon capture|deforestation|
Amazon rainforest|Arctic|sea ice|coral reefs|malaria|measles|H5N1|antibiotics|
mental health|obesity drugs|drug prices|pharmaceutical|biotech|quantum computing|
chipmakers|smartphones|social media|data privacy|antitrust|merger|bankruptcy|
central bank|currency|yen|euro|dollar|gold prices|bitcoin|pension reform|strikes|
minimum wage|budget deficit|debt ceiling|sovereign debt|credit rating|bond market
"""


@functools.cache
def _vocabulary() -> tuple[list[str], list[int]]:
    """Words of the sample briefings and their cumulative counts (for random.choices)."""
    counts: Counter[str] = Counter()
    for path in sorted(SAMPLES.iterdir()):
        text = path.read_text(encoding="utf-8")
        counts.update(w for w in re.findall(r"[A-Za-z][a-z']+|\d[\d,.]*", text) if len(w) < 15)
    words = sorted(counts)
    return words, list(itertools.accumulate(counts[w] for w in words))


@functools.cache
def _topics() -> tuple[list[str], list[float]]:
    topics = [t.strip() for t in TOPICS.replace("\n", "").split("|") if t.strip()]
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(topics))]
    return topics, list(itertools.accumulate(weights))


def article_text(index: int, seed: int = SEED) -> str:
    """Briefing number ``index``, in the reference format."""
    return generate(index, seed)[0]


def article_keywords(index: int, seed: int = SEED) -> list[str]:
    """The recurring names article ``index`` was built around, most mentioned first."""
    return generate(index, seed)[1]


def generate(index: int, seed: int = SEED) -> tuple[str, list[str]]:
    """Briefing number ``index`` and the names it was built around."""
    rng = random.Random(seed * 1_000_003 + index)
    words, counts = _vocabulary()
    topics, weights = _topics()
    date = LAST_DAY - dt.timedelta(days=rng.randrange(DAYS))
    chosen = list(dict.fromkeys(rng.choices(topics, cum_weights=weights, k=rng.randint(4, 8))))
    target = rng.randint(250, 700)
    paragraphs: list[str] = []
    total = 0
    while total < target:
        sentences = []
        for _ in range(rng.randint(3, 5)):
            sentence = rng.choices(words, cum_weights=counts, k=rng.randint(12, 26))
            for _ in range(rng.randint(0, 2)):
                sentence.insert(rng.randrange(len(sentence)), rng.choice(chosen))
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            sentences.append(" ".join(sentence) + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph.split())
    lead = f"{chosen[0]} {rng.choice(['talks', 'report', 'warning', 'deal', 'vote'])} "
    paragraphs[0] = lead + paragraphs[0][0].lower() + paragraphs[0][1:]
    for position in sorted(rng.sample(range(1, len(paragraphs)), min(2, len(paragraphs) - 1))):
        picked = rng.choices(words, cum_weights=counts, k=rng.randint(2, 4))
        heading = " ".join(w.capitalize() for w in picked)
        paragraphs[position] = f"{heading}\n\n{paragraphs[position]}"
    text = f"date {date.isoformat()} " + "\n\n".join(paragraphs) + "\n"
    return text, sorted(chosen, key=lambda t: -text.count(t))[:10]


def corpus_key(seed: int, count: int) -> str:
    """What a cached store was built from: a store from other sample briefings (whose
    vocabulary the articles draw on) is built again."""
    words, _ = _vocabulary()
    digest = hashlib.sha256(" ".join(words).encode()).hexdigest()[:12]
    return f"{seed}:{count}:{digest}"


def write_files(count: int, folder: Path, seed: int = SEED) -> list[Path]:
    """Write ``count`` briefings as ``folder/NNNNNN.txt``; existing identical files are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"{index:06d}.txt"
        text = article_text(index, seed)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def build_store(count: int, path: Path, seed: int = SEED, batch: int = 2000) -> Path:
    """A store of ``count`` generated articles with precomputed keywords, in bulk."""
    if path.exists():
        with Store.open(path) as store:
            if store.get_meta("benchmark_corpus") == corpus_key(seed, count):
                if store.get_meta("benchmark_stories") != STORY_RULES:  # built before stories
                    assign_stories(store)
                return path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with Store.open(path) as store:
        db = store.db
        keyword_ids: dict[str, int] = {}
        for start in range(0, count, batch):
            with store.transaction():
                for index in range(start, min(start + batch, count)):
                    text, keywords = generate(index, seed)
                    parsed = parse_briefing(text.encode(), Path(f"{index}.txt"))
                    cursor = db.execute(
                        "INSERT INTO articles (path, content_hash, file_size, file_mtime_ns, "
                        "title, date, source, body, tags, format, word_count, ingested_at, "
                        "updated_at) VALUES (?, ?, ?, 0, ?, ?, 'Generated Wire', ?, '[]', "
                        "'reference', ?, ?, ?)",
                        [
                            f"/generated/{index:06d}.txt",
                            hashlib.sha256(text.encode()).hexdigest(),
                            len(text),
                            parsed.title,
                            parsed.date,
                            parsed.body,
                            parsed.word_count,
                            now,
                            now,
                        ],
                    )
                    article_id = cursor.lastrowid
                    for rank, phrase in enumerate(keywords, start=1):
                        key = keyword_key(phrase)
                        if key not in keyword_ids:
                            keyword_ids[key] = int(
                                db.execute(
                                    "INSERT INTO keywords (key, display, article_count) "
                                    "VALUES (?, ?, 0)",
                                    [key, phrase],
                                ).lastrowid
                                or 0
                            )
                        db.execute(
                            "INSERT INTO article_keywords "
                            "(article_id, keyword_id, score, rank, article_date) "
                            "VALUES (?, ?, ?, ?, ?)",
                            [article_id, keyword_ids[key], 0.01 * rank, rank, parsed.date],
                        )
        assign_stories(store)
        db.execute("ANALYZE")
        store.set_meta("benchmark_corpus", corpus_key(seed, count))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def assign_stories(store: Store) -> int:
    """Group the store's articles into stories in one pass (:func:`briefing.stories.assign_all`).

    The full-text index's update trigger fires on any update of an article row,
    though ``story_id`` is not text, and re-indexing 100,000 articles would take
    four times as long as grouping them. It is set aside for this bulk write,
    inside the same transaction, so no other connection ever sees it missing.
    """
    started = time.perf_counter()
    db = store.db
    with store.transaction():
        trigger = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_au'"
        ).fetchone()
        if trigger:
            db.execute("DROP TRIGGER articles_au")
        count = assign_all(db)
        if trigger:
            db.execute(trigger[0])
        store.set_meta("benchmark_stories", STORY_RULES)
    if time.perf_counter() - started > 1:
        print(f"(grouped {count} stories in {time.perf_counter() - started:.0f} s)")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a benchmark corpus.")
    parser.add_argument("what", choices=["files", "store", "sample"])
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path, nargs="?")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.what == "sample":
        sys.stdout.write(article_text(args.count))
        sys.stdout.write(json.dumps(article_keywords(args.count)) + "\n")
        return
    if args.target is None:
        parser.error("give a target folder or database file")
    if args.what == "files":
        write_files(args.count, args.target)
    else:
        build_store(args.count, args.target)
    print(f"{args.what}: {args.count} in {time.perf_counter() - started:.1f} s -> {args.target}")


if __name__ == "__main__":
    main()
