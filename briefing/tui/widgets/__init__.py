"""The reader's widgets, each owning its own state."""
