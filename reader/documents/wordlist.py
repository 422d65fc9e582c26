"""English words, to tell a typesetter's hyphen from an author's at a PDF line break.

"ex-" + "ample" is "example", "ex-" + "wife" is "ex-wife": only a list of words knows. The
list is SCOWL (size 50, American and British spellings merged, about 75,000 words; see
``resources/wordlists/SCOWL-LICENSE.txt``), shipped as a 200 kB resource and read on first
use, in about 50 ms, once per process. A spelling list is used rather than the spaCy
model's vocabulary because loading spaCy costs seconds and must never happen in the window's
process. Without the resource (a broken install) the set is empty and the callers fall back
on the document's own words.
"""

from __future__ import annotations

import gzip
import zlib
from functools import cache

from reader import paths

WORDLIST = ("wordlists", "english-words.txt.gz")


@cache
def english_words() -> frozenset[str]:
    """Lower-case English words of two letters or more; empty when the list is missing."""
    path = paths.resources_dir().joinpath(*WORDLIST)
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error):
        return frozenset()
    return frozenset(data.decode("utf-8", "replace").split("\n"))
