"""Write one small file of every format the reader opens, for the frozen-binary smoke test.

    python packaging/make_smoke_samples.py OUTPUT_FOLDER

Runs in the SOURCE environment (the repository with its test extras installed): the files
are made with the same builders the format tests use (tests/unit/documents/formats/), and
the PDF is printed with Qt as the app's own "print to PDF" prints. The frozen binary then
reads them. Prints the names of the files written, one a line.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "summit-in-geneva.md"


def _sample_blocks() -> list[tuple[str, str]]:
    """The sample article as (kind, text) blocks for ``print_pdf``: markup removed."""
    blocks = []
    for chunk in SAMPLE.read_text(encoding="utf-8").split("\n\n"):
        text = chunk.strip()
        if not text:
            continue
        kind = "h1" if text.startswith("# ") else "h2" if text.startswith("## ") else "p"
        text = re.sub(r"^#+\s*", "", text)
        text = re.sub(r"\*+([^*]+)\*+", r"\1", text).replace("\n", " ")
        blocks.append((kind, text))
    return blocks


def write_samples(folder: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from tests.unit.documents.formats import builders_books, builders_office, builders_web

    folder.mkdir(parents=True, exist_ok=True)
    page = builders_web.news_page()
    files: dict[str, bytes] = {
        "article.md": SAMPLE.read_bytes(),
        # Windows-1252, as an old text file would be: the encoding guesser must still work.
        "article.txt": SAMPLE.read_text(encoding="utf-8").replace("*", "").encode("cp1252"),
        "page.html": page.encode("utf-8"),
        "page.mhtml": builders_web.mhtml_archive(page),
        "report.docx": builders_office.build_docx(),
        "report.odt": builders_office.build_odt(),
        "book.epub": builders_books.build_epub3(),
        "story.rtf": builders_books.build_rtf(),
    }
    written = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    written.append(_print_pdf(folder / "article.pdf"))
    return written


def _print_pdf(path: Path) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from tests.unit.documents.formats.conftest import print_pdf

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841
    print_pdf(path, _sample_blocks(), title="Water talks in Geneva", header="The Courier")
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    folder = Path(argv[0])
    if folder.exists():
        shutil.rmtree(folder)
    for path in write_samples(folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
