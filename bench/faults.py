"""The fault table (issue 9, closing note): fault kind → outcome named, findings lost, findings added.

Serves a healthy generated site and one copy per fault kind (tests/faults/harness.py), audits them
all in one `zwgk run` (--render never; the browser faults in a second run with --render auto) and
prints, per fault: where it was applied, the outcomes run.json names with their counts, how many of
the healthy site's findings were lost (allowed only where the scorecard says 结论不完整), how many
were added (must be 0; a homepage that is really down may be site.unreachable), and the run's time.

    .venv/bin/python bench/faults.py [--no-browser] [--only SUBSTRING ...]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.faults import harness as H  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-browser", action="store_true", help="skip the faults that need Chromium")
    ap.add_argument("--only", nargs="*", default=[], help="fault kinds containing these words")
    args = ap.parse_args()
    cases = [c for c in H.CASES if not args.only or any(w in c.kind for w in args.only)]
    results, runs = [], []
    with tempfile.TemporaryDirectory(prefix="zwgk-faults-") as tmp:
        for render in ("never", "auto"):
            chosen = [c for c in cases if c.render == render]
            if not chosen or (render == "auto" and args.no_browser):
                continue
            healthy, res, seconds = H.run_cases(Path(tmp) / render, chosen, render)
            runs.append((render, len(chosen), seconds, len(healthy.findings)))
            results += res
    print(H.table(results))
    print()
    for render, n, seconds, base in runs:
        print(f"--render {render}: {n} faulty sites + the healthy one ({base} findings) in {seconds:.0f} s")
    added = sum(len(r.added - {k for k in r.added if k[0] in r.case.real}) for r in results)
    silent = [r.case.kind for r in results if r.lost and not r.incomplete]
    import resource
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of a zwgk run process (20 MB page and 1 GiB gzip bomb included): {peak:.0f} MB")
    print(f"faults: {len(results)}; findings lost {sum(len(r.lost) for r in results)}; "
          f"findings added by a fault {added}; lost without 结论不完整: {silent or 'none'}")
    return 1 if added or silent else 0


if __name__ == "__main__":
    sys.exit(main())
