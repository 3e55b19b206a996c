"""A deterministic corpus of generated briefings, as files or as a ready store.

    python -m benchmarks.corpus files 2000 /tmp/corpus     # reference-format files
    python -m benchmarks.corpus store 100000 /tmp/100k.db  # a store, built in bulk
    python -m benchmarks.corpus sample 7                   # article 7 and its keywords

Real news is topical and bursty: a term like "ceasefire" is in a few percent of
articles, concentrated in the weeks when its events happen; the most frequent
named topic is in perhaps a tenth of them and most terms in well under one
percent. A search or a keyword filter costs what its matches cost, so the
corpus is shaped like that rather than drawing every article from one pool,
which put "ceasefire" in 31% of the articles and "white house" in 59%.

It is a timeline of *events* over three years. Each runs for 1-14 days, uses
the words of one or two sample briefings (its sources) and is about 1-3 topics
of :data:`TOPICS` (Zipf by their order there, and likelier when its sources
mention them), 0-2 names found in its sources ("Antalya", "Rachel Osei") and
3-6 of their phrases ("dairy herds"), the rare keywords. Event popularity is
heavy-tailed (Pareto, capped so that none crowds out a day's other news): at
100,000 articles a few hundred events have 100-400 and most a few dozen. An
article is dated a day of the three years and belongs to one of the events
running that day, by popularity, or (three in ten) to a one-off event of its
own, as much news does. It mentions its event's topics and names, 1-3 of its
phrases and maybe one background topic, which are its keywords, and mixes the
samples' common words (those in a third of them) with its event's words.

The 36 samples cover six subjects, so a word in many of them ("oil" is in 11)
would be in a third of the corpus if every event used all its sources' words.
An event keeps a word found in *n* samples with chance 0.4/*n* (its stem, so
"vaccine" and "vaccines" count as one), so such a word is in about as many
articles as one found in a single sample; a word of the event's own topics is
always kept, so articles on "crude oil" say "oil". Words of topics are never
common words.

Article ``i`` depends only on the seed and ``i`` (the timeline only on the seed):
any N is a prefix of a larger N.

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
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bulk_stories import assign_all
from briefing.ingest.parse import parse_briefing
from briefing.insight.stories import MAX_STORY_DAYS, THRESHOLD, WINDOW_DAYS
from briefing.keys import keyword_key
from briefing.store import Store

# Part of corpus_key, so that stores cached by an earlier generator are built again.
GENERATOR = 2
# Stories are grouped again when their rules change.
STORY_RULES = f"{THRESHOLD}:{WINDOW_DAYS}:{MAX_STORY_DAYS}"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
SEED = 20261125
LAST_DAY = dt.date(2026, 11, 24)
DAYS = 3 * 365

# The model, tuned on the figures in benchmarks/README.md. More topics per article, or
# a steeper Zipf, would put the top topic in well over a tenth of the articles and the
# middle ones ("ceasefire", "inflation") in more than a few percent.
EVENTS_STARTING = (1, 3)  # events that start each day: ~2,200 in all
EVENT_DAYS = (1, 14)
EVENT_TOPICS = (1, 3)
EVENT_NAMES = (0, 2)
ONE_OFF = 0.3  # articles on no running event, which stand alone
EVENT_PHRASES = (3, 6)
ARTICLE_PHRASES = (1, 3)  # of its event's
BACKGROUND_TOPICS = (0, 1)  # per article, besides its event's
TOPIC_ZIPF = 0.4
MENTIONED = 20.0  # how much likelier a topic is when all samples mentioning it are sources
POPULARITY = 1.2  # Pareto shape: lower, a heavier tail of big events...
BIGGEST = 10.0  # ...up to this many times the smallest: none crowds out a day's other news
COMMON = 1 / 3  # share of the samples a word must be in to be a common word
SPREAD = 0.4  # an event keeps a word found in n samples with chance SPREAD / n

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

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,]\d+)*")
# A capitalised run not at the start of a sentence: "Antalya", "Rachel Osei".
_NAME = re.compile(r"(?<=[a-z0-9,;] )[A-Z][^\W\d_]+(?: (?:of )?[A-Z][^\W\d_]+)*")
_CALENDAR = set("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_CALENDAR |= {dt.date(2026, m, 1).strftime("%B") for m in range(1, 13)}


@dataclass(frozen=True)
class _Samples:
    """What events are made of, from the sample briefings."""

    common: list[str]  # in every article: function words and stock news words
    common_cum: list[int]  # their cumulative counts, for random.choices
    common_share: float  # of the samples' words
    words: list[Counter[str]]  # per sample, its other words with their counts
    names: list[Counter[str]]  # per sample, names found in at most two samples
    phrases: list[set[str]]  # per sample, pairs of its own words found in at most two
    topics: list[set[str]]  # per sample, the topics it mentions
    topic_spread: Counter[str]  # in how many samples each topic is mentioned
    spread: Counter[str]  # in how many samples each word's stem is
    stems: dict[str, str]  # of the words not common


@dataclass(frozen=True)
class _Event:
    days: int
    popularity: float
    names: tuple[str, ...]  # its topics, then its names
    phrases: list[str]  # for its articles to pick from
    words: list[str]
    cum: list[float]


@functools.cache
def _samples() -> _Samples:
    """The sample briefings' words, names and phrases, read once."""
    bodies = [parse_briefing(p.read_bytes(), p).body for p in sorted(SAMPLES.iterdir())]
    topics = _topics()[0]
    counts = [Counter(_words(body)) for body in bodies]
    found_in: Counter[str] = Counter(w for c in counts for w in c)
    lowercase = {w for w in found_in if w == w.lower()}
    # Words of topics ("oil", "rates") are topical however many samples use them.
    topical = {_stem(w) for t in topics for w in _words(t)}
    common = {
        w
        for w in found_in
        if w.lower() in lowercase
        and found_in[w.lower()] >= COMMON * len(bodies)
        and _stem(w) not in topical
    }
    names = []
    for body in bodies:
        prose = "\n".join(line for line in body.split("\n") if not line.startswith("## "))
        names.append(Counter(n for n in _NAME.findall(prose) if n.split()[0] not in _CALENDAR))
    named: Counter[str] = Counter(n for c in names for n in c)
    topic_keys = {keyword_key(t) for t in topics}
    distinctive = {
        n
        for n in named
        if named[n] <= 2 and len(n) > 3 and keyword_key(n) not in topic_keys
        if not any(w.lower() in lowercase for w in n.split())
    }
    phrases = [set(_phrases(body, common | topical)) for body in bodies]
    found: Counter[str] = Counter(p for c in phrases for p in c)
    total = sum(counts, Counter())
    common_words = sorted(common)
    mentioned = [{t for t in topics if _mentions(t, body)} for body in bodies]
    return _Samples(
        common=common_words,
        common_cum=list(itertools.accumulate(total[w] for w in common_words)),
        common_share=sum(total[w] for w in common) / total.total(),
        words=[Counter({w: c[w] for w in sorted(c) if w not in common}) for c in counts],
        names=[Counter({n: k for n, k in c.items() if n in distinctive}) for c in names],
        phrases=[{p for p in c if found[p] <= 2} for c in phrases],
        topics=mentioned,
        topic_spread=Counter(t for m in mentioned for t in m),
        spread=Counter(stem for c in counts for stem in {_stem(w) for w in c}),
        stems={w: _stem(w) for w in found_in if w not in common},
    )


def _phrases(body: str, excluded: set[str]) -> list[str]:
    """Two adjacent lowercase words, neither common nor a topic's: "dairy herds"."""
    found = []
    for clause in re.split(r"[^\w\s'-]|\n", body):
        words = _words(clause)
        found += [
            f"{a} {b}"
            for a, b in itertools.pairwise(words)
            if a.islower() and b.islower() and len(a) > 3 and len(b) > 3
            if not {a, b, _stem(a), _stem(b)} & excluded
        ]
    return found


def _words(text: str) -> list[str]:
    """Words ("Friday's", "insecticide") and numbers, not acronyms ("OPEC", "U.S.")."""
    return [w for w in _WORD.findall(text) if len(w) < 15 and w[1:] == w[1:].lower()]


def _stem(word: str) -> str:
    """Enough of a word to take "vaccines" and "sanctioned" for "vaccine" and "sanctions"."""
    return word.lower().removesuffix("s")[:6]


def _mentions(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


@functools.cache
def _topics() -> tuple[list[str], list[float], list[float]]:
    """The topics, their Zipf weights and those weights' running sums."""
    topics = [t.strip() for t in TOPICS.replace("\n", "").split("|") if t.strip()]
    zipf = [1.0 / (rank + 1) ** TOPIC_ZIPF for rank in range(len(topics))]
    return topics, zipf, list(itertools.accumulate(zipf))


def _event(rng: random.Random) -> _Event:
    """An event: its sources, topics, names, phrases and words (see the module docstring)."""
    samples = _samples()
    sources = rng.sample(range(len(samples.words)), rng.choice((1, 1, 2)))
    topics, zipf, _ = _topics()
    mentioned = Counter(t for s in sources for t in samples.topics[s])
    weights = [
        z * (1 + MENTIONED * mentioned[t] / max(samples.topic_spread[t], 1))
        for t, z in zip(topics, zipf, strict=True)
    ]
    chosen = rng.choices(topics, weights, k=rng.randint(*EVENT_TOPICS))
    names = sum((samples.names[s] for s in sources), Counter())
    if names:
        found = sorted(names)
        chosen += rng.choices(found, [names[n] for n in found], k=rng.randint(*EVENT_NAMES))
    about = {_stem(w) for t in chosen for w in _words(t)}
    words = samples.words[sources[0]]
    if len(sources) > 1:
        both = words + samples.words[sources[1]]
        words = Counter({w: both[w] for w in sorted(both)})
    stems = samples.stems
    kept = {
        stem
        for stem in sorted({stems[w] for w in words})
        if stem in about or rng.random() < SPREAD / samples.spread[stem]
    }
    own = {w: n for w, n in words.items() if stems[w] in kept} or dict(words.most_common(1))
    phrases = sorted({p for s in sources for p in samples.phrases[s]})
    return _Event(
        days=rng.randint(*EVENT_DAYS),
        popularity=min(rng.paretovariate(POPULARITY), BIGGEST),
        names=tuple(dict.fromkeys(chosen)),
        phrases=rng.sample(phrases, min(len(phrases), rng.randint(*EVENT_PHRASES))),
        words=list(own),
        cum=list(itertools.accumulate(n**0.5 for n in own.values())),
    )


@functools.cache
def _timeline(seed: int) -> list[tuple[list[_Event], list[float]]]:
    """For each day, the events running then and their cumulative popularity.

    Events start from two weeks before the first day, so the first days have as
    many running as any other, and at least one starts every day.
    """
    rng = random.Random(f"{seed}:timeline")
    running: list[list[_Event]] = [[] for _ in range(DAYS)]
    for first in range(-EVENT_DAYS[1], DAYS):
        for _ in range(rng.randint(*EVENTS_STARTING)):
            event = _event(rng)
            for day in range(max(first, 0), min(first + event.days, DAYS)):
                running[day].append(event)
    return [(day, list(itertools.accumulate(e.popularity for e in day))) for day in running]


def article_text(index: int, seed: int = SEED) -> str:
    """Briefing number ``index``, in the reference format."""
    return generate(index, seed)[0]


def article_keywords(index: int, seed: int = SEED) -> list[str]:
    """The recurring names article ``index`` was built around, most mentioned first."""
    return generate(index, seed)[1]


def generate(index: int, seed: int = SEED) -> tuple[str, list[str]]:
    """Briefing number ``index`` and the names it was built around, most mentioned first."""
    rng = random.Random(seed * 1_000_003 + index)
    day = rng.randrange(DAYS)
    if rng.random() < ONE_OFF:
        event = _event(rng)  # of its own
    else:
        events, popularity = _timeline(seed)[day]
        event = rng.choices(events, cum_weights=popularity)[0]
    date = LAST_DAY - dt.timedelta(days=DAYS - 1 - day)
    topics, _, cum = _topics()
    extra = rng.choices(topics, cum_weights=cum, k=rng.randint(*BACKGROUND_TOPICS))
    background = [t for t in dict.fromkeys(extra) if t not in event.names]
    phrases = rng.sample(event.phrases, min(len(event.phrases), rng.randint(*ARTICLE_PHRASES)))
    # One of each keyword, as ingest stores them ("U.S." and "US" are one).
    unique: dict[str, str] = {}
    for name in [*event.names, *background, *phrases]:
        unique.setdefault(keyword_key(name), name)
    names = list(unique.values())
    target = rng.randint(250, 700)
    sentences: list[list[str]] = []
    sizes = []  # sentences per paragraph
    while sum(map(len, sentences)) + len(sentences) // 2 < target:  # and the mentions, below
        sizes.append(rng.randint(3, 5))
        sentences += [_body(rng, event, rng.randint(12, 26)) for _ in range(sizes[-1])]
    # Each name once, then more up to one every other sentence, mostly the event's own.
    mentions = Counter(names)
    weights = [3 if n in event.names else 1 for n in names]
    mentions.update(rng.choices(names, weights, k=max(len(sentences) // 2 - len(names), 0)))
    inserted = list(mentions.elements())
    rng.shuffle(inserted)
    for name in inserted:
        sentence = rng.choice(sentences)
        sentence.insert(rng.randrange(len(sentence) + 1), name)
    paragraphs = []
    for size in sizes:
        chunk = [" ".join(words) for words in sentences[:size]]
        paragraphs.append(" ".join(f"{s[:1].upper()}{s[1:]}." for s in chunk))
        del sentences[:size]
    lead = f"{names[0]} {rng.choice(['talks', 'report', 'warning', 'deal', 'vote'])}"
    paragraphs[0] = f"{lead} {paragraphs[0][:1].lower()}{paragraphs[0][1:]}"
    mentions[names[0]] += 1
    for position in sorted(rng.sample(range(1, len(paragraphs)), min(2, len(paragraphs) - 1))):
        # What the parser takes for a heading: it starts with a capital, ends in a letter.
        fit = [w for w in _body(rng, event, 8) if w[0].isalpha() and w[-1].isalpha()]
        heading = " ".join(w.capitalize() for w in fit[: rng.randint(2, 4)] or ["Latest"])
        paragraphs[position] = f"{heading}\n\n{paragraphs[position]}"
    text = f"date {date.isoformat()} " + "\n\n".join(paragraphs) + "\n"
    return text, sorted(mentions, key=lambda n: -mentions[n])[:10]


def _body(rng: random.Random, event: _Event, count: int) -> list[str]:
    """``count`` words, each a common word or one of the event's, in the samples' proportion."""
    samples = _samples()
    common = [rng.random() < samples.common_share for _ in range(count)]
    shared = iter(rng.choices(samples.common, cum_weights=samples.common_cum, k=sum(common)))
    own = iter(rng.choices(event.words, cum_weights=event.cum, k=count - sum(common)))
    return [next(shared) if c else next(own) for c in common]


def corpus_key(seed: int, count: int) -> str:
    """What a cached store was built from: a store from another generator or other sample
    briefings (whose vocabulary the articles draw on) is built again."""
    digest = hashlib.sha256()
    for path in sorted(SAMPLES.iterdir()):
        digest.update(path.read_bytes())
    return f"{seed}:{count}:v{GENERATOR}:{digest.hexdigest()[:12]}"


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
    with Store.open(path, create_directories=True) as store:
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
    """Group the store's articles into stories in one pass (:mod:`benchmarks.bulk_stories`).

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
