"""The reader's screens: the main one (list, reader, sidebar) and the dialogs over it."""
