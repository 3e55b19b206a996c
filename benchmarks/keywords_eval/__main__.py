"""python -m benchmarks.keywords_eval: see the package docstring."""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.keywords_eval import gold as goldfile
from benchmarks.keywords_eval.score import JUNK_KINDS, Scores, mean, score
from briefing.ingest.parse import keyword_text, parse_briefing
from briefing.insight.keywords import extract_keywords, prepare_keywords, raw_yake

STYLES = ("wire", "reference", "frontmatter", "markdown", "feed", "headline", "press", "cjk")
_DATE_HEADER = re.compile(r"\A\s*date\s+\S+[ \t]*", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.DOTALL)


@dataclass
class Case:
    name: str
    style: str
    path: Path
    gold: list[str]

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8-sig")

    def raw_text(self) -> str:
        """What a person would hand YAKE: the file without its date header or front matter."""
        return _FRONT_MATTER.sub("", _DATE_HEADER.sub("", self.source), count=1)

    def keyword_text(self) -> str:
        return keyword_text(parse_briefing(self.path.read_bytes(), self.path))


def cases(with_samples: bool = True) -> list[Case]:
    found = [
        Case(name, name.split("-")[1], goldfile.BRIEFINGS / name, merged["tags"])
        for name, merged in goldfile.load_merged().items()
    ]
    if with_samples:
        found += [
            Case(name, "samples", goldfile.SAMPLES / name, tags)
            for name, tags in goldfile.load_samples().items()
        ]
    return found


HALVES = ("odd", "even")


def half(case: Case) -> str:
    """Which half the file is in: "odd" or "even" by its number (a sample by its place)."""
    number = case.name.split("-")[0]
    if case.style == "samples" or not number.isdigit():
        number = str(sorted(goldfile.load_samples()).index(case.name) + 1)
    return HALVES[int(number) % 2 == 0]


def briefing_keywords(text: str) -> list[str]:
    return [k.display for k in extract_keywords(text)]


def yake_keywords(text: str) -> list[str]:
    return [k for k, _ in raw_yake(text)]


def timed(work: Callable[[str], object], texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        work(text)
    return time.perf_counter() - started


def throughput(texts: list[str], rounds: int) -> tuple[float, list[float], float, float]:
    """(median ratio, every round's ratio, briefing's and YAKE's texts per second in it).

    Both run on briefing's keyword texts; a first untimed pass loads YAKE, the
    stopwords and the CJK dictionaries for both."""
    timed(briefing_keywords, texts)
    timed(yake_keywords, texts)
    pairs = []
    for _ in range(rounds):
        # Text by text, turn about: the machine's other load falls on both alike.
        yake_s = ours_s = 0.0
        for text in texts:
            yake_s += timed(yake_keywords, [text])
            ours_s += timed(briefing_keywords, [text])
        pairs.append((yake_s, ours_s))
    pairs.sort(key=lambda pair: pair[0] / pair[1])
    yake_s, ours_s = pairs[len(pairs) // 2]
    ratios = [y / o for y, o in pairs]
    return statistics.median(ratios), ratios, len(texts) / ours_s, len(texts) / yake_s


FIGURES = ("P@5", "R@5", "F1@5", "P@10", "R@10", "F1@10")


def table(results: dict[str, dict[str, list[Scores]]]) -> list[str]:
    """Markdown: the overall figures, then F1@10 and junk by style."""
    lines = [
        "| extractor | match | " + " | ".join(FIGURES) + " |",
        "|---|---|" + "---|" * len(FIGURES),
    ]
    everything = {
        label: [s for style in results for s in results[style][label]]
        for label in ("raw YAKE", "briefing")
    }
    eval_only = {
        label: [s for style in STYLES for s in results.get(style, {}).get(label, [])]
        for label in ("raw YAKE", "briefing")
    }
    for label in ("raw YAKE", "briefing"):
        m = mean(eval_only[label])
        for match in ("exact", "stemmed"):
            cells = " | ".join(f"{m[f'{fig} {match}']:.3f}" for fig in FIGURES)
            lines.append(f"| {label} | {match} | {cells} |")
    lines += ["", "| extractor | junk | " + " | ".join(JUNK_KINDS) + " | multi-word |"]
    lines.append("|---|---|" + "---|" * (len(JUNK_KINDS) + 1))
    for label in ("raw YAKE", "briefing"):
        m = mean(eval_only[label])
        cells = " | ".join(str(int(m[kind])) for kind in JUNK_KINDS)
        lines.append(f"| {label} | {int(m['junk'])} | {cells} | {m['multiword']:.0%} |")
    styles = [s for s in (*STYLES, "samples") if s in results]
    lines += ["", "| F1@10 exact / stemmed, junk | " + " | ".join(styles) + " | all |"]
    lines.append("|---|" + "---|" * (len(styles) + 1))
    for label in ("raw YAKE", "briefing"):
        cells = []
        for style in [*styles, None]:
            rows = results[style][label] if style else everything[label]
            m = mean(rows)
            cells.append(f"{m['F1@10 exact']:.3f} / {m['F1@10 stemmed']:.3f}, {int(m['junk'])}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="each article's lists")
    parser.add_argument("--style", help="only this style (wire, press, cjk, samples, ...)")
    parser.add_argument("--rounds", type=int, default=5, help="throughput rounds (0: none)")
    parser.add_argument(
        "--half",
        choices=HALVES,
        help="only the odd- or even-numbered files (samples: by their order), to tune on one"
        " half and check on the other",
    )
    parser.add_argument("--merge", action="store_true", help="rebuild gold/merged.json")
    args = parser.parse_args()
    if args.merge:
        merged = goldfile.write_merged()
        agreement = statistics.mean(m["agreement"] for m in merged.values())
        print(f"wrote {goldfile.MERGED}: {len(merged)} files, mean agreement {agreement:.2f}")
        return
    prepare_keywords()
    chosen = [c for c in cases() if args.style in (None, c.style) and args.half in (None, half(c))]
    results: dict[str, dict[str, list[Scores]]] = {}
    for case in chosen:
        source = case.source
        lists = {
            "raw YAKE": yake_keywords(case.raw_text()),
            "briefing": briefing_keywords(case.keyword_text()),
        }
        for label, predicted in lists.items():
            s = score(predicted, case.gold, source)
            results.setdefault(case.style, {}).setdefault(label, []).append(s)
            if args.verbose:
                junk = {k: v for k, v in s.junk.items() if v}
                print(
                    f"{case.name} {label}: F1@10 {s.values['F1@10 exact']:.2f}"
                    + (f" junk {junk}" if junk else "")
                )
                print("    " + " | ".join(predicted))
        if args.verbose:
            print("    gold: " + " | ".join(case.gold))
    print("\n".join(table(results)))
    if args.rounds:
        # Chinese and Japanese apart: their dictionary segmentation (Janome is pure
        # Python) costs more than YAKE's pass, which cuts nothing and returns clauses.
        for label, group in (
            ("English", [c for c in chosen if c.style != "cjk"]),
            ("CJK", [c for c in chosen if c.style == "cjk"]),
        ):
            if not group:
                continue
            texts = [c.keyword_text() for c in group]
            ratio, ratios, ours, yake = throughput(texts, args.rounds)
            spread = ", ".join(f"{r:.2f}" for r in ratios)
            print(
                f"\nthroughput on {len(texts)} {label} keyword texts: briefing {ours:.1f}/s, "
                f"YAKE alone {yake:.1f}/s, ratio {ratio:.2f} (rounds {spread})"
            )
    print(
        "\nThe first two tables cover the 66 evaluation briefings; 'all' adds the 10 samples."
        " F1 is averaged per article."
    )


if __name__ == "__main__":
    main()
