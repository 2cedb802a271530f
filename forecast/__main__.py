"""``python -m forecast``: see `forecast.cli`."""

import sys

from .cli import main

sys.exit(main())
