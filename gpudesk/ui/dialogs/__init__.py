"""Dialogs: errors with a hint, host-key trust, settings, about/help."""
