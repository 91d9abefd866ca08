"""sitecustomize of the Windows Python in the Wine lane (packaging/windows/wine-lane.sh).

* The Wine workaround for ``platform`` (``wine_wmi_hook``, copied next to this file).
* ``GPUDESK_LANE_PATH``: the checkout, put first on ``sys.path`` (an embeddable Python's
  ``._pth`` file makes it ignore ``PYTHONPATH``).
"""

import os
import sys

import wine_wmi_hook  # noqa: F401  (its import is the workaround)

_checkout = os.environ.get("GPUDESK_LANE_PATH")
if _checkout and _checkout not in sys.path:
    sys.path.insert(0, _checkout)
