"""Make the README's screenshots: the reader on the sample briefings, as Textual exports it.

python docs/screenshot.py              # both: docs/screenshot.svg (160x48, panes side by
                                       # side) and docs/screenshot-80x24.svg (stacked)
python docs/screenshot.py WIDTH HEIGHT # one, as docs/screenshot-WIDTHxHEIGHT.svg

They are drawn as on an xterm with 256 colours on 2026-11-25 (the day after the newest
sample briefing), with the database in the home directory, so they change only when the
reader does. ``rsvg-convert docs/screenshot.svg -o /tmp/shot.png`` makes a PNG to look at.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 25)
# What each screenshot shows: the keys pressed once the reader has loaded.
README_SHOTS = {
    (160, 48): ("screenshot.svg", ("j", "j", "s", "enter", "h")),
    (80, 24): ("screenshot-80x24.svg", ("j", "j", "s")),
}


async def shoot(width: int, height: int, name: str, keys: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as home:
        # No remembered state from a real run, and the status line shows ~/briefing.db.
        for variable in ("HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
            os.environ[variable] = home
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        from briefing.config import Config
        from briefing.ingest.files import ingest
        from briefing.paths import sample_data_dir
        from briefing.store import Store
        from briefing.tui import app as reader_app
        from briefing.tui.widgets import rows

        rows.local_today = lambda: TODAY  # type: ignore[assignment]
        reader_app.plain_terminal = lambda: False  # type: ignore[assignment]
        store = Store.open(Path(home) / "briefing.db")
        ingest(store, [sample_data_dir()])
        app = reader_app.BriefingApp(store, Config(theme="textual-dark"))
        async with app.run_test(size=(width, height)) as pilot:
            for key in ("", *keys):
                if key:
                    await pilot.press(key)
                for _ in range(3):
                    await pilot.pause()
                    await app.workers.wait_for_complete()
            app.clear_notifications()
            await pilot.pause()
            app.save_screenshot(str(HERE / name))
        app.runner.shutdown()
        store.close()


async def main(sizes: dict[tuple[int, int], tuple[str, tuple[str, ...]]]) -> None:
    for (width, height), (name, keys) in sizes.items():
        await shoot(width, height, name, keys)
        print(HERE / name)


if __name__ == "__main__":
    if len(sys.argv) >= 3:
        width, height = int(sys.argv[1]), int(sys.argv[2])
        chosen = {(width, height): (f"screenshot-{width}x{height}.svg", ("j", "j", "s"))}
        asyncio.run(main(chosen))
    else:
        asyncio.run(main(README_SHOTS))
