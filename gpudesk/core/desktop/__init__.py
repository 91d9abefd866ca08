"""The desktop side of the engine: tray state and menu as data, notifications, wake-up, autostart.

Lives here: ``traystate`` (one state for the tray icon), ``traymenu`` (the tray menu as
typed data), ``notifications`` (which events become a notification, once, with a grace
period), ``wakeup`` (noticing that the machine slept) and ``autostart`` (start at login).

May import: every room below it (``store`` up to ``apps`` and ``monitor``). Never Qt.
"""
