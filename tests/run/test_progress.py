"""Progress of a corpus run when stderr is a log file: plain lines, spaced out, and a last one."""

from __future__ import annotations

import io

from govdisclosure.run.progress import LogProgress, progress_bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_lines_at_the_interval_and_one_at_the_end(monkeypatch):
    clock = iter([0.0, 10.0, 31.0, 35.0, 62.0, 70.0])
    monkeypatch.setattr("govdisclosure.run.progress.time.monotonic", lambda: next(clock))
    stream = io.StringIO()
    with progress_bar(200, True, stream) as bar:  # started at 0 s
        assert isinstance(bar, LogProgress)
        bar.update(50)  # 10 s: too soon
        bar.update(50)  # 31 s: a line
        bar.update(50)  # 35 s: too soon
        bar.update(40)  # 62 s: a line
    assert stream.getvalue().splitlines() == [  # and the last one at 70 s
        "extract: 100/200 documents (50%), 31 s",
        "extract: 190/200 documents (95%), 62 s",
        "extract: 190/200 documents (95%), 70 s",
    ]


def test_a_terminal_gets_a_bar_and_nothing_is_written_when_progress_is_off():
    assert not isinstance(progress_bar(10, True, _Terminal()), LogProgress)
    quiet = io.StringIO()
    with progress_bar(10, False, quiet) as bar:
        bar.update(10)
    assert quiet.getvalue() == ""
