"""Quality benchmarks: `python -m bench.quality --drafts` scores drafts and importers (bench.quality_drafts).

A minimal dispatcher; the people and relations benchmark of issue 14 lives beside it when merged.
"""

from __future__ import annotations

import sys

from bench import quality_drafts

if __name__ == "__main__":
    if "--drafts" not in sys.argv[1:]:
        print("usage: python -m bench.quality --drafts", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(quality_drafts.main(sys.argv[1:]))
