"""The setup wizard's pages: one module per page, all built on :mod:`.page`."""
