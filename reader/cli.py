"""Command line: the GUI by default, headless subcommands for scripting and tests.

    reader [FILE...]                      open the reader window
    reader --version
    reader entities FILE [--json] [--all-kinds] [--model NAME]

Errors are one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import sys
from collections.abc import Sequence

from reader import __version__, paths
from reader.errors import ReaderError

log = logging.getLogger(__name__)

SUBCOMMANDS = ("entities",)
EXIT_ERROR = 1


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep data, settings and logs in DIR (also: the READER_HOME environment variable)",
    )
    parser.add_argument(
        "--model", metavar="NAME", help="spaCy pipeline to use, e.g. en_core_web_md"
    )


def gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read articles with their people, places and organizations highlighted.",
        epilog="Headless commands: reader entities FILE [--json]. See 'reader entities --help'.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="articles to open")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    _common(parser)
    return parser


def command_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    entities = commands.add_parser(
        "entities", help="print the people, places and organizations in an article"
    )
    entities.add_argument("file", metavar="FILE")
    entities.add_argument("--json", action="store_true", help="a JSON array of mentions")
    entities.add_argument(
        "--all-kinds", action="store_true", help="also the kinds hidden by default (other names)"
    )
    _common(entities)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build re-runs its executable for the engine processes: let those through.
    multiprocessing.freeze_support()
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in SUBCOMMANDS:
            args = command_parser().parse_args(args_list)
            _apply_common(args)
            return run_entities(args)
        args = gui_parser().parse_args(args_list)
        _apply_common(args)
        from reader.app import run_gui

        return run_gui(args.files, args.model)
    except ReaderError as exc:
        print(f"reader: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130


def _apply_common(args: argparse.Namespace) -> None:
    if getattr(args, "data_dir", None):
        paths.set_home(args.data_dir)


def run_entities(args: argparse.Namespace) -> int:
    from reader.app import setup_logging
    from reader.documents.loader import load_document
    from reader.entities.engine import EntityEngine
    from reader.entities.kinds import DEFAULT_VISIBLE_KINDS

    setup_logging()
    document = load_document(args.file)  # before the model: a bad file fails fast
    model = args.model
    if model is None:
        from reader import settings as settings_module

        model = settings_module.load().model
    engine = EntityEngine(model)
    mentions = engine.analyse_text(document.text)
    if not args.all_kinds:
        mentions = [m for m in mentions if m.kind in DEFAULT_VISIBLE_KINDS]
    if args.json:
        json.dump([m.to_json() for m in mentions], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_table(mentions))
    return 0


def format_table(mentions: list) -> str:
    header = ("START", "END", "KIND", "LABEL", "TEXT", "CANONICAL")
    rows = [
        (
            str(m.start),
            str(m.end),
            m.kind.value,
            m.label,
            m.text,
            m.canonical if m.canonical != m.text else "",
        )
        for m in mentions
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {0, 1}
    lines = []
    for row in [header, *rows]:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
