"""The annotation editor: the click-to-label token view, its layout and its undo commands."""
