"""The terminal under the reader: what it can draw, the driver, the screen diff, signals."""
