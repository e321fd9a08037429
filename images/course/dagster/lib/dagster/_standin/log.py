"""Log lines shaped like Dagster's: `2025-01-01 12:00:00 +0000 - dagster.daemon - INFO - ...`."""

import logging
import os
import sys
import time


class _CurrentStderr:
    """Writes to whatever sys.stderr is at the time, so run capture sees log lines too."""

    def write(self, s):
        return sys.stderr.write(s)

    def flush(self):
        sys.stderr.flush()


class _Formatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging API)
        return time.strftime("%Y-%m-%d %H:%M:%S +0000", self.converter(record.created))


_configured = False


def setup(level=None):
    global _configured
    if _configured:
        if level:
            logging.getLogger().setLevel(getattr(logging, level.upper(), logging.INFO))
        return
    _configured = True
    level = (level or os.environ.get("DAGSTER_LOG_LEVEL") or "INFO").upper()
    handler = logging.StreamHandler(_CurrentStderr())
    handler.setFormatter(_Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level, logging.INFO))


def get(name):
    setup()
    return logging.getLogger(name)
