"""Views of platform accounts: connect an AutoDL account, its instances with power buttons.

Self-contained widgets over :mod:`gpudesk.core.providers`; the main window and the wizard
embed them. Blocking API calls run through :func:`gpudesk.ui.bridges.run_in_background`.
"""
