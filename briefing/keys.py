"""The key under which one keyword is shared by every article that has it.

Ingest files keywords under this key, the store looks a typed keyword up by
it, and the insight algorithms compare by it, so it lives below all of them.
"""

from __future__ import annotations

import re

_POSSESSIVE = re.compile(r"['’]s\b")


def keyword_key(phrase: str) -> str:
    """The normalised form under which one keyword is shared by all articles.

    Case and dots do not matter ("U.S." = "US" = "us"), nor a plural on the
    last word ("sanctions" = "sanction"), nor an apostrophe-s.
    """
    original = _POSSESSIVE.sub("", phrase).replace(".", "").split()
    words = [w.lower() for w in original]
    # Only common nouns lose a plural: "Hamas", "Texas" and "Athens" keep their s.
    if words and original[-1].islower():
        words[-1] = _singular(words[-1])
    return " ".join(words)


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ws", "ys")):
        return word[:-1]
    return word


def lookup_keys(text: str) -> list[str]:
    """Keys a person may mean by what they typed: as typed, and all lower case
    ("Sanctions" at the start of a query still finds "sanction")."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # an argument that was not UTF-8
    return [keyword_key(text), keyword_key(text.lower())]
