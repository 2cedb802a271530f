"""``python -m staffing``: see `staffing.cli`."""

import sys

from .cli import main

sys.exit(main())
