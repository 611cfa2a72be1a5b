"""Reading one file with `process_file` in a child process whose memory is capped.

Memory bombs must be tried without risking the machine: the child's address space is capped, and
its own peak resident memory is reported back. The peak is the child's VmHWM, which starts afresh
at exec; `ru_maxrss` would carry over the peak of its parent (a large pytest process).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ADDRESS_SPACE = 2_500 * 2**20
PEAK_RSS_KB = 700_000

_CHILD = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path

    def peak_rss_kb():
        with open("/proc/self/status") as fh:
            return int(next(line.split()[1] for line in fh if line.startswith("VmHWM")))

    resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
    from govdisclosure.pipeline import process_file
    result = process_file(Path(sys.argv[1]))
    print(json.dumps({{"checks": result.checks, "facts": len(result.facts), "rss": peak_rss_kb()}}))
""")


def read_capped(path: Path) -> dict:
    """`process_file(path)` in a capped child: its checks rows, number of facts and peak RSS in kB.

    Asserts that the child ended normally and stayed under `PEAK_RSS_KB`.
    """
    done = subprocess.run([sys.executable, "-c", _CHILD.format(cap=ADDRESS_SPACE), str(path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["rss"] < PEAK_RSS_KB, f"peak memory {result['rss']:,} kB"
    return result
