"""Under Wine, keep Python's ``platform`` away from WMI (a PyInstaller runtime hook on Windows).

Python >= 3.12's ``platform`` (``uname``, ``win32_ver``) asks WMI through the ``_wmi`` module,
and under Wine 8 the process aborts in the unimplemented ``propsys.VariantToString``. With
``_wmi`` marked missing, ``platform`` falls back to ``sys.getwindowsversion()`` and the
registry, as it did before 3.12. Only done when Wine is detected (its ntdll exports
``wine_get_version``), so on Windows nothing changes. The Wine lane's Python runs the same file
from its sitecustomize (packaging/windows/wine-sitecustomize.py).
"""

import ctypes
import sys

if sys.platform == "win32" and hasattr(ctypes.WinDLL("ntdll"), "wine_get_version"):
    sys.modules["_wmi"] = None  # type: ignore[assignment]
