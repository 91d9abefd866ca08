"""Start gpudesk (the GUI, or the CLI when given arguments)."""

import sys

from gpudesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
