"""``python -m campaign``: see `campaign.cli`."""

from .cli import main

raise SystemExit(main())
