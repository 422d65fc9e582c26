"""How much two versions of a text share at their start and end, at C speed.

Re-anchoring maps every note outside the changed stretch without searching, so it needs
the common prefix and suffix of two 3 MB strings. ``os.path.commonprefix`` compares
character by character in Python; comparing slices with ``==`` is a ``memcmp``.
"""

from __future__ import annotations

_GALLOP_START = 4096


def common_prefix_length(a: str, b: str) -> int:
    """Length of the longest common prefix, comparing slices (C speed), galloping then
    bisecting so that a 3 MB text costs a few megabytes of ``memcmp``."""
    limit = min(len(a), len(b))
    done, step = 0, _GALLOP_START
    while done < limit:
        upto = min(done + step, limit)
        if a[done:upto] != b[done:upto]:
            break
        done, step = upto, step * 2
    else:
        return limit
    lo, hi = done, upto - 1  # the answer is in lo..hi
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix_length(a: str, b: str, limit: int | None = None) -> int:
    """Length of the longest common suffix, at most ``limit`` (see ``common_prefix_length``)."""
    limit = min(len(a), len(b)) if limit is None else min(limit, len(a), len(b))
    la, lb = len(a), len(b)
    done, step = 0, _GALLOP_START
    while done < limit:
        upto = min(done + step, limit)
        if a[la - upto : la - done] != b[lb - upto : lb - done]:
            break
        done, step = upto, step * 2
    else:
        return limit
    lo, hi = done, upto - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo
