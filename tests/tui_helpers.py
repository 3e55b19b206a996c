"""Helpers for pilot tests: wait for the app to settle, and read the screen as text."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from textual.app import App
from textual.pilot import Pilot


async def settle(pilot: Pilot[None]) -> None:
    """Let messages, workers and the store thread finish what the last key started."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: App[None]) -> str:
    """The screen as a person reads it: the text of Textual's own SVG screenshot, by line."""
    svg = app.export_screenshot()
    lines: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for match in re.finditer(r'<text[^>]*\bx="([\d.]+)"[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', svg):
        x, y, text = float(match.group(1)), float(match.group(2)), match.group(3)
        lines[y].append((x, html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(parts)) for _, parts in sorted(lines.items()))
