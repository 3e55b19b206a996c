"""Make docs/screenshot.svg: the reader on the sample briefings, as Textual exports it.

python docs/screenshot.py [WIDTH HEIGHT]
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


async def main(width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_STATE_HOME"] = home  # no remembered state from a real run
        from briefing.ingest.files import ingest
        from briefing.paths import sample_data_dir
        from briefing.store import Store
        from briefing.tui.app import BriefingApp

        store = Store.open(Path(home) / "briefing.db")
        ingest(store, [sample_data_dir()])
        app = BriefingApp(store)
        async with app.run_test(size=(width, height)) as pilot:
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            await pilot.press("j", "j", "s", "h")
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            app.save_screenshot(str(HERE / "screenshot.svg"))
        store.close()


if __name__ == "__main__":
    size = [int(a) for a in sys.argv[1:3]] or [140, 40]
    asyncio.run(main(*size))
