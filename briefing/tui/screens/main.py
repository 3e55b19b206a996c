"""The reader's main screen: Textual's, without a whole-screen repaint per focus change.

Textual's ``Screen.focused`` is a reactive that repaints: moving the focus
(Enter into the article, Esc back to the list) redrew all 100x30 cells, about
half of Esc's time. The widgets that gain and lose focus repaint themselves
(their styles change), so the screen need not.
"""

from __future__ import annotations

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget


class MainScreen(Screen[None]):
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
