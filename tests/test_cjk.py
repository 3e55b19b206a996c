"""Chinese and Japanese: keywords from a segmenter, not sentences; search inside CJK runs."""

from __future__ import annotations

from pathlib import PurePath

from briefing.ingest.parse import keyword_text, parse_briefing
from briefing.insight.keywords import extract_keywords
from briefing.scripts import cjk_language, mostly_cjk

JAPANESE = """日銀、政策金利を0.75%に引き上げ　物価高と円安に対応

日本銀行は19日の金融政策決定会合で、短期の政策金利を現在の0.5%から0.75%に引き上げることを\
賛成多数で決めた。利上げは今年1月以来で、政策金利は約30年ぶりの高い水準となる。食料品を中心とした\
物価高が続き、円安が輸入物価を押し上げていることに対応した。

日銀の森下和彦総裁は、会合後の記者会見で「賃金と物価がともに上がる好循環が強まっている」と述べた。\
G7各国の中央銀行も日銀の利上げを注視している。
"""

CHINESE = """国家疾控局：冬季呼吸道疾病进入高发期 流感为主

国家疾病预防控制局12日举行新闻发布会，介绍冬季呼吸道传染病防控情况。国家疾控局传染病防控司司长\
刘振华表示，当前我国已进入冬季呼吸道疾病高发期，流感病毒阳性率持续上升，以甲型H3N2亚型为主。\
COVID-19疫情总体平稳。刘振华说，流感疫苗供应充足，建议老年人和儿童尽早接种流感疫苗。
"""


def keywords(text: str, top: int = 10) -> list[str]:
    article = parse_briefing(text.encode(), PurePath("a.txt"))
    return [k.display for k in extract_keywords(keyword_text(article), top=top)]


def test_cjk_text_is_told_from_latin_text() -> None:
    assert cjk_language(JAPANESE) == "ja" and cjk_language(CHINESE) == "zh"
    assert not mostly_cjk("The Bank of Japan (日本銀行) raised its policy rate on Friday.")
    assert cjk_language("서울 시장이 발표했다") is None  # Korean has spaces: YAKE's


def test_japanese_keywords_are_words_not_sentences() -> None:
    found = keywords(JAPANESE)
    assert {"政策金利", "日銀", "円安"} <= set(found)
    for k in found:
        assert len(k) <= 12 and "、" not in k and "。" not in k and " " not in k, k


def test_chinese_keywords_are_words_not_sentences() -> None:
    found = keywords(CHINESE)
    assert {"流感", "刘振华"} <= set(found)
    for k in found:
        assert len(k) <= 12 and "，" not in k and "。" not in k, k


def test_names_in_latin_script_stay_whole_and_apart() -> None:
    assert "G7" in keywords(JAPANESE, top=30)
    assert "COVID-19" in keywords(CHINESE, top=30)
    assert not any("COVID-19" in k and k != "COVID-19" for k in keywords(CHINESE, top=30))


def test_a_name_is_not_glued_to_its_title() -> None:
    found = keywords(JAPANESE + "\n森下和彦総裁は会見で語った。森下和彦総裁は慎重だった。")
    assert not any(k.startswith("森下和彦") and k != "森下和彦" for k in found)
