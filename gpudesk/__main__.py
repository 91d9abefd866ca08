"""`python -m gpudesk`: the command line (no arguments starts the GUI)."""

import sys

from gpudesk.cli import main

sys.exit(main())
