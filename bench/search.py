"""The search benchmark: ``python bench/search.py [--residents N]`` is ``gongwei bench search``.

See gongwei.people.bench for what it measures and gongwei.web.management.commands.bench
for the database it uses (never the demo's).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from gongwei.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.argv[1:1] = ["bench", "search"]
    main()
