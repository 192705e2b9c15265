"""One module per wizard page; each binds its widgets to draft field paths."""
