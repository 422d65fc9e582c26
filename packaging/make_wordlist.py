"""Rebuild ``resources/wordlists/english-words.txt.gz`` from the SCOWL word lists.

The PDF reader asks this list whether "ex-" + "ample" at a line break is "example" (the
hyphen was the typesetter's) or "ex-wife" (the author's). The source is SCOWL, size 50, as
Debian ships it in ``wamerican`` and ``wbritish`` (``apt-get install wamerican wbritish``,
or ``apt-get download`` and ``dpkg-deb -x``). Both spellings are merged; words are lower-cased,
possessives ("'s") and anything that is not letters only are left out. The licence travels
with the list in ``resources/wordlists/SCOWL-LICENSE.txt``.

    python packaging/make_wordlist.py [DICT_FOLDER]   # default /usr/share/dict
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "resources" / "wordlists" / "english-words.txt.gz"
SOURCES = ("american-english", "british-english")
_WORD = re.compile(r"[^\W\d_]{2,}")


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict")
    words: set[str] = set()
    for name in SOURCES:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            word = line.strip().lower()
            if _WORD.fullmatch(word):
                words.add(word)
    data = "\n".join(sorted(words)).encode("utf-8")
    # mtime=0 and no file name: the same lists give the same bytes.
    OUTPUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(words):,} words, {OUTPUT.stat().st_size:,} bytes: {OUTPUT}")


if __name__ == "__main__":
    main()
