"""A lone Esc: the reader's input loop wakes when Textual's escape delay is up.

The loop (``HangupSafeLinuxDriver.run_input_thread``) reads Textual's private
``XTermParser._timeout_time`` to know when a pending Esc is due; these tests
fail if a Textual release changes that, rather than Esc silently taking 100 ms.
"""

from __future__ import annotations

import time

from textual import events
from textual._time import get_time
from textual._xterm_parser import XTermParser


def test_a_lone_escape_is_pending_until_its_due_time_then_sent() -> None:
    parser = XTermParser()
    assert getattr(parser, "_timeout_time", "missing") is None
    assert list(parser.feed("\x1b")) == []
    due = parser._timeout_time
    assert due is not None and 0 < due - get_time() <= 0.2
    time.sleep(max(0.0, due - get_time()) + 0.005)
    keys = [event for event in parser.tick() if isinstance(event, events.Key)]
    assert [key.key for key in keys] == ["escape"]
    assert parser._timeout_time is None


def test_an_escape_sequence_in_one_read_is_one_key() -> None:
    parser = XTermParser()
    keys = [event for event in parser.feed("\x1b[B") if isinstance(event, events.Key)]
    assert [key.key for key in keys] == ["down"] and parser._timeout_time is None
