"""What one ingest may take on: kept apart from the ingest itself, so that the command
line can show them in ``--help`` without loading the parsers."""

from __future__ import annotations

DEFAULT_MAX_BYTES = 5 * 1_048_576  # a briefing file larger than this is skipped
