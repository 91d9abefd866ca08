"""The cost guard's face in the window: arm it, watch its countdown, postpone or cancel it.

Lives here: ``guard_form`` (the rules as widgets, giving a ``GuardRules``), ``guard_view``
(the self-contained view the dashboard hosts: form, status, Postpone, Cancel) and
``guard_service`` (runs the core's guard calls off the GUI thread and reports by signals).
"""
