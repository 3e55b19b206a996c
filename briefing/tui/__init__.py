"""The full-screen reader (Textual). The only part of briefing that imports Textual."""
