"""Five-field cron expressions (minute hour day-of-month month day-of-week), evaluated in UTC."""

import time

_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]
_ALIASES = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
            "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *"}


def _field(spec, lo, hi):
    values = set()
    for part in spec.split(","):
        step = 1
        if "/" in part:
            part, s = part.split("/", 1)
            step = int(s)
        if part in ("*", ""):
            a, b = lo, hi
        elif "-" in part:
            a, b = (int(x) for x in part.split("-", 1))
        else:
            a = b = int(part)
            if step != 1:
                b = hi
        values.update(range(a, b + 1, step))
    return values


def parse(expr):
    expr = _ALIASES.get(expr.strip(), expr)
    parts = expr.split()
    if len(parts) != 5:
        raise ValueError(f'"{expr}" is not a five-field cron expression')
    fields = [_field(p, lo, hi) for p, (lo, hi) in zip(parts, _RANGES)]
    fields[4] = {0 if d == 7 else d for d in fields[4]}
    return fields


def matches(expr, epoch):
    minute, hour, dom, month, dow = parse(expr)
    t = time.gmtime(epoch)
    return (t.tm_min in minute and t.tm_hour in hour and t.tm_mday in dom and t.tm_mon in month
            and (t.tm_wday + 1) % 7 in dow)
