"""Command line: the GUI by default, headless subcommands for scripting and tests.

    reader [FILE...]                      open the reader window
    reader --version
    reader entities FILE [--json] [--all-kinds] [--model NAME]
    reader text FILE                      the canonical text of any supported file
    reader info FILE [--json]             format, metadata, counts and the text's SHA-256

Errors are one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
from collections.abc import Sequence

from reader import __version__, paths
from reader.errors import ReaderError

log = logging.getLogger(__name__)

SUBCOMMANDS = ("entities", "text", "info")
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
        epilog=(
            "Headless commands: reader entities FILE, reader text FILE, reader info FILE. "
            "See 'reader COMMAND --help'."
        ),
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
    text = commands.add_parser(
        "text", help="print the text reader sees in a file (what entities, notes and search use)"
    )
    text.add_argument("file", metavar="FILE")
    _common(text)
    info = commands.add_parser(
        "info", help="print a file's format, metadata, block and page counts and text SHA-256"
    )
    info.add_argument("file", metavar="FILE")
    info.add_argument("--json", action="store_true", help="a JSON object")
    _common(info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build re-runs its executable for the engine processes: let those through.
    multiprocessing.freeze_support()
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in SUBCOMMANDS:
            args = command_parser().parse_args(args_list)
            _apply_common(args)
            return run_command(args)
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
    except BrokenPipeError:
        # `reader text book.epub | head`: the reader of our output left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _apply_common(args: argparse.Namespace) -> None:
    if getattr(args, "data_dir", None):
        paths.set_home(args.data_dir)


def run_command(args: argparse.Namespace) -> int:
    from reader.app import setup_logging
    from reader.commands import documents

    setup_logging()
    _utf8_stdout()
    handlers = {
        "entities": documents.run_entities,
        "text": documents.run_text,
        "info": documents.run_info,
    }
    return handlers[args.command](args)


def _utf8_stdout() -> None:
    """Names and quotes are not ASCII: never fail on a console with a narrow encoding."""
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
