"""The footer: the keys that work here, as one line of text.

Textual's Footer is a container of one widget per key, and it recomposes them
all (mount, style, lay out fourteen widgets) whenever the bindings change:
three or four times before the first screen, and twice on every focus change
(Enter opens an article, Esc goes back). That was 66 ms of the first screen
and most of Enter's and Esc's time. This is one widget whose line is made
from ``screen.active_bindings`` and drawn again only when it changes. It looks
the same (key, then what it does, disabled keys dim, the palette's key on the
right) and a click on a key presses it, as Textual's does.
"""

from __future__ import annotations

from textual import events
from textual.app import RenderResult
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

# (key, its display, description, enabled) for each key shown
Shown = tuple[tuple[str, str, str, bool], ...]


class KeyFooter(Widget):
    """One line of keys, from the screen's active bindings."""

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: Shown = ()
        self._palette: Shown = ()
        self._spans: list[tuple[int, int, str, bool]] = []  # where a click lands: key, enabled

    def on_mount(self) -> None:
        screen = self.screen
        screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        # Textual signals a focus change's bindings only after the next frame: the keys
        # would change a frame after the screen (Enter's article, then its footer).
        self.watch(screen, "focused", lambda _focused: self._bindings_changed(screen))

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        keys: list[tuple[str, str, str, bool]] = []
        actions: set[str] = set()
        active = screen.active_bindings
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)  # one key per action, as Textual's footer
                keys.append(
                    (binding.key, self.app.get_key_display(binding), binding.description, enabled)
                )
        palette: Shown = ()
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = (
                (binding.key, self.app.get_key_display(binding), binding.description, enabled),
            )
            keys = [key for key in keys if key[0] != binding.key]
        if (tuple(keys), palette) != (self._keys, self._palette):
            self._keys, self._palette = tuple(keys), palette
            self.refresh()  # one line: no layout
            _in_the_next_frame(self)

    def _parts(self, keys: Shown, start: int) -> tuple[list[tuple[str, str]], int]:
        parts: list[tuple[str, str]] = []
        position = start
        for key, display, description, enabled in keys:
            dim = "" if enabled else " dim"
            label = f" {display} "
            text = f"{description} " if description else ""
            parts.append((label, f"bold $footer-key-foreground{dim}"))
            parts.append((text, f"$footer-description-foreground{dim}"))
            self._spans.append((position, position + len(label) + len(text), key, enabled))
            position += len(label) + len(text)
        return parts, position

    def render(self) -> RenderResult:
        self._spans = []
        left, end = self._parts(self._keys, 0)
        width = self.size.width
        palette_text = "".join(
            f" {display} {description} " for _key, display, description, _ in self._palette
        )
        line = Content.assemble(*left)
        if palette_text and end + len(palette_text) <= width:
            right, _ = self._parts(self._palette, width - len(palette_text))
            line = Content.assemble(line, " " * (width - len(palette_text) - end), *right)
        # The Linux console's font has no … (the app has class -plain there).
        return line.truncate(width, ellipsis=not self.app.has_class("-plain"))

    def on_click(self, event: events.Click) -> None:
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                event.stop()
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return


def _in_the_next_frame(widget: Widget) -> None:
    """Have the screen's next frame draw ``widget``'s refresh.

    A refresh reaches the screen from the widget's own task, which may run only after
    the screen has drawn the frame the change belongs to: Enter's article came in one
    frame and the keys that go with it (q is Back there) in the next, 16 ms later.
    Textual keeps the widgets its next frame draws in a private set of the screen;
    this adds to it (tests/test_key_footer.py checks that it still works).
    """
    screen = widget.screen
    dirty = getattr(screen, "_dirty_widgets", None)
    if isinstance(dirty, set):
        dirty.add(widget)
        screen.check_idle()
