"""Command line: the GUI by default, headless subcommands for scripting and tests.

    reader [FILE...]                      open the reader window
    reader --version
    reader entities FILE [--json] [--all-kinds] [--model NAME]
    reader text FILE                      the canonical text of any supported file
    reader info FILE [--json]             format, metadata, counts and the text's SHA-256
    reader import PATH... [--analyse] [--json] [--cluster WHERE [--send-files]] [--resume]
                                          add files and folders (recursively) to the library;
                                          --cluster local[:N] or tcp://HOST:PORT does the
                                          work on a Dask cluster, --resume continues one
    reader library [--json]               the articles in the library, newest first
    reader search QUERY [--limit N] [--json]
                                          full-text search; person:NAME, place:, org: for names
    reader mentions NAME [--kind KIND] [--limit N] [--json]
                                          which articles mention a person, place or organization
    reader notes add FILE (--quote TEXT [--occurrence N] | --document) --text NOTE [--tag TAG]...
                                          a note on a passage or a whole article (FILE is
                                          imported if it is not in the library yet)
    reader notes list [FILE] [--tag TAG] [--json]
    reader notes export [FILE] [--format md|csv|jsonld] [-o PATH] [--tag TAG]
    reader notes import FILE              W3C Web Annotation JSON-LD; all notes or none
    reader corrections add TEXT --kind KIND [--document FILE] [--any-case]
    reader corrections remove|split TEXT [--document FILE]
    reader corrections relabel TEXT --kind KIND [--document FILE]
    reader corrections alias TEXT --as CANONICAL [--document FILE]
                                          rules about names, applied wherever names are shown
    reader corrections list [--json]      with the mentions each changes; undone ones marked
    reader corrections undo|redo ID
    reader corrections export [-o FILE]   the rules in force as JSON
    reader corrections import FILE        a rules file: all rules or none
    reader print FILE --pdf OUT.pdf [--kinds KINDS] [--notes footnotes|endnotes|none]
                 [--greyscale] [--no-index] [--page-size A4|Letter]
                                          an annotated copy as PDF, with no display needed
    reader export FILE --html OUT.html [--kinds KINDS] [--notes …] [--greyscale] [--no-index]
                                          an annotated copy as one self-contained HTML file
    reader backup [-o FILE]               a copy of the library (in the backup folder or FILE)
    reader restore FILE [--yes]           replace the library with a copy (the old one is kept)
    reader check [--repair]               look for damage; --repair rebuilds and salvages

Every command takes --data-dir DIR (or the READER_HOME environment variable) and --model NAME.
Errors are one line on stderr and a non-zero exit status, never a traceback: 1 for an error
(or some files not imported), 2 for bad arguments, 130 when interrupted with Ctrl+C.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
from collections.abc import Sequence

from reader import __version__, paths
from reader.entities.kinds import Kind, kind_from_name
from reader.errors import ReaderError, missing_part_message
from reader.filenames import quoted

log = logging.getLogger(__name__)

SUBCOMMANDS = (
    "entities",
    "text",
    "info",
    "import",
    "library",
    "search",
    "mentions",
    "notes",
    "corrections",
    "print",
    "export",
    "backup",
    "restore",
    "check",
)
_VALUE_OPTIONS = ("--data-dir", "--model")  # options that take a value, before a subcommand
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
            "Headless commands: reader entities FILE, reader text FILE, reader info FILE, "
            "reader import PATH..., reader library, reader search QUERY, reader mentions NAME, "
            "reader notes add|list|export|import, "
            "reader corrections add|remove|relabel|alias|split|list|undo|redo|export|import, "
            "reader print FILE --pdf OUT.pdf, "
            "reader export FILE --html OUT.html, reader backup, reader restore FILE, "
            "reader check [--repair]. "
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
    _library_commands(commands)
    _notes_commands(commands)
    from reader.commands import corrections, maintenance, printing

    corrections.register(commands, _common)
    printing.register(commands, _common)
    maintenance.register(commands, _common)
    return parser


def _library_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``import``, ``library``, ``search`` and ``mentions``: the library from a shell."""
    imports = commands.add_parser(
        "import",
        help="add files and folders to the library",
        description=(
            "Add articles to the library. Folders are searched recursively for the formats "
            "reader opens (hidden files skipped); files named here are tried whatever their "
            "name. One line per file, then a summary; exit status 1 if any file failed. "
            "With --cluster the files are parsed and analysed on a Dask cluster and written "
            "here in batches; a journal beside the library lets --resume continue an "
            "interrupted import, and only failures are listed, with progress on stderr."
        ),
    )
    imports.add_argument("paths", nargs="*", metavar="PATH", help="files and folders")
    imports.add_argument(
        "--analyse",
        "--analyze",
        action="store_true",
        help="then find the names in every article not yet analysed with the current model",
    )
    imports.add_argument(
        "--json",
        action="store_true",
        help="a JSON object with every file (with --cluster: one JSON object per line)",
    )
    imports.add_argument(
        "--cluster",
        metavar="WHERE",
        help=(
            "parse and analyse on a Dask cluster: local (one worker per core), local:N, or "
            "a running scheduler's tcp://HOST:PORT (also: the READER_CLUSTER environment "
            "variable); needs the cluster extra"
        ),
    )
    imports.add_argument(
        "--send-files",
        action="store_true",
        help=(
            "with --cluster: send each file's bytes to the workers, for workers that cannot "
            "see this computer's files (by default they read them at the same path)"
        ),
    )
    imports.add_argument(
        "--resume",
        action="store_true",
        help="continue the last --cluster import that was interrupted, with its files",
    )
    imports.add_argument(
        "--time-limit",
        type=_positive,
        default=120,
        metavar="SECONDS",
        help="skip (and report) a file that takes longer than this to read (default: 120)",
    )
    _common(imports)
    library = commands.add_parser("library", help="list the articles in the library")
    library.add_argument("--json", action="store_true", help="a JSON array of entries")
    _common(library)
    search = commands.add_parser(
        "search",
        help="search the articles and notes in the library",
        description=(
            'Full-text search, ignoring case and accents (geneve finds Genève); "quoted '
            'phrases" and word* prefixes work. person:NAME, place:NAME, org:NAME or '
            "other:NAME list the articles that mention that name instead. Matched words are "
            "bold on a terminal and [bracketed] otherwise."
        ),
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N hits")
    search.add_argument("--json", action="store_true", help="a JSON array of hits")
    _common(search)
    mentions = commands.add_parser(
        "mentions",
        help="list the articles that mention a name",
        description=(
            "Which analysed articles mention NAME (case and accents ignored; a surname also "
            "finds the person's full name), with the count and the first mention in context."
        ),
    )
    mentions.add_argument("name", metavar="NAME")
    mentions.add_argument(
        "--kind",
        type=_kind,
        metavar="KIND",
        help="only names of this kind: person, place, organization (org) or other",
    )
    mentions.add_argument(
        "--limit", type=_positive, default=100, metavar="N", help="at most N articles"
    )
    mentions.add_argument("--json", action="store_true", help="a JSON array")
    _common(mentions)


def _notes_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``notes add``, ``notes list``, ``notes export`` and ``notes import``."""
    notes = commands.add_parser(
        "notes",
        help="write, list, export and import notes",
        description=(
            "The notes in the library: add one on a passage or a whole article, list them, "
            "export them as Markdown, CSV or W3C Web Annotation JSON-LD, import JSON-LD."
        ),
    )
    actions = notes.add_subparsers(dest="notes_command", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="add a note on a passage (--quote) or on the whole article (--document)",
        description=(
            "Add a note to FILE, importing FILE into the library if it is not there yet. "
            "The quote must be in the text reader sees (see 'reader text FILE'); white space "
            "and straight or curly quotation marks may differ. A quote that occurs more than "
            "once needs --occurrence. Exit status 0 only once the note is on disk."
        ),
    )
    add.add_argument("file", metavar="FILE", help="the article (any format reader opens)")
    target = add.add_mutually_exclusive_group(required=True)
    target.add_argument("--quote", metavar="TEXT", help="the words of the passage to note")
    target.add_argument("--document", action="store_true", help="a note on the whole article")
    add.add_argument(
        "--text", required=True, metavar="NOTE", help="the note itself; - reads it from stdin"
    )
    add.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="a tag; repeat for more"
    )
    add.add_argument(
        "--occurrence",
        type=_positive,
        metavar="N",
        help="which occurrence of a repeated quote, counted from 1 in text order",
    )
    add.add_argument("--json", action="store_true", help="print the stored note as JSON")
    _common(add)
    listing = actions.add_parser(
        "list",
        help="list the notes of an article, or of the whole library",
        description=(
            "The notes on FILE (found in the library by its path or by its text), or every "
            "note in the library, in text order; orphans (passages no longer found after "
            "the text changed) are marked."
        ),
    )
    listing.add_argument("file", nargs="?", metavar="FILE", help="an article in the library")
    listing.add_argument("--tag", metavar="TAG", help="only notes with this tag")
    listing.add_argument("--json", action="store_true", help="a JSON array of notes")
    _common(listing)
    export = actions.add_parser(
        "export",
        help="export notes as Markdown, CSV or W3C Web Annotation JSON-LD",
        description=(
            "Every note in the library, or those on FILE (with the notes on the people, "
            "places and organizations it mentions), to stdout or to PATH. Each note carries "
            "its quote and citation: title, author, date, source, paragraph, text SHA-256."
        ),
    )
    export.add_argument("file", nargs="?", metavar="FILE", help="an article in the library")
    export.add_argument(
        "--format",
        choices=("md", "csv", "jsonld"),
        help="md (Markdown, the default), csv or jsonld; without it, -o's suffix decides",
    )
    export.add_argument(
        "-o", "--output", metavar="PATH", help="write to PATH (replaced all at once)"
    )
    export.add_argument("--tag", metavar="TAG", help="only notes with this tag")
    _common(export)
    imports = actions.add_parser(
        "import",
        help="import notes from a W3C Web Annotation JSON-LD file",
        description=(
            "Add the notes of a JSON-LD file (as 'reader notes export --format jsonld' "
            "writes) to the library; their articles must be in it. Notes already there are "
            "skipped. Any problem in the file is reported and nothing is imported."
        ),
    )
    imports.add_argument("file", metavar="FILE", help="a .jsonld file")
    _common(imports)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return number


def _kind(value: str) -> Kind:
    """The same kind names everywhere: "org" here as in ``search org:UN``."""
    try:
        return kind_from_name(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build re-runs its executable for the engine processes: let those through.
    multiprocessing.freeze_support()
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        command_at = _subcommand_index(args_list)
        if command_at is not None:
            # `reader --data-dir D library`: the options may come before the subcommand.
            args_list = args_list[command_at:] + args_list[:command_at]
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
    except ImportError as exc:
        logging.getLogger(__name__).exception("A module could not be imported")
        print(f"reader: {missing_part_message(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `reader text book.epub | head`: the reader of our output left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        # A path the system refuses (too long, on a full or read-only disk) that no command
        # foresaw: still one sentence, never a traceback.
        log.exception("Unforeseen file system error")
        where = ""
        if exc.filename:
            name = os.fsdecode(exc.filename)
            shown = quoted(name)  # an odd name comes back in quotes of its own, escaped
            where = f" “{name}”" if shown == name else f" {shown}"
        print(
            f"reader: the system refused{where}: {exc.strerror or exc}; check the path, the "
            "permissions and the free space, then try again.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except (MemoryError, RecursionError) as exc:
        log.exception("Out of memory or stack")
        print(
            f"reader: the command ran out of memory ({type(exc).__name__}); the input is "
            "too large or too deeply nested for this computer.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except Exception as exc:
        # A bug: the details go to the log file; the user gets one line that says so.
        log.exception("Unexpected error")
        print(
            f"reader: an unexpected error ({type(exc).__name__}) stopped the command; this is "
            f"a bug in reader, and the details are in {paths.log_file()}.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _subcommand_index(args: list[str]) -> int | None:
    """Where the subcommand is, skipping the common options (and their values) before it;
    None for the window (``reader FILE``, ``reader --data-dir D FILE``)."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in SUBCOMMANDS:
            return index
        if arg == "--":
            return None
        if arg in _VALUE_OPTIONS:
            index += 2
        elif arg.startswith(tuple(f"{o}=" for o in _VALUE_OPTIONS)):
            index += 1
        else:
            return None
    return None


def _apply_common(args: argparse.Namespace) -> None:
    if getattr(args, "data_dir", None):
        paths.set_home(args.data_dir)


def run_command(args: argparse.Namespace) -> int:
    from reader.app import setup_logging
    from reader.commands import (
        corrections,
        documents,
        importing,
        library,
        maintenance,
        notes,
        printing,
    )

    setup_logging()
    _utf8_stdout()
    handlers = {
        "entities": documents.run_entities,
        "text": documents.run_text,
        "info": documents.run_info,
        "import": importing.run_import,
        "library": library.run_library,
        "search": library.run_search,
        "mentions": library.run_mentions,
        "notes": notes.run_notes,
        "corrections": corrections.run_corrections,
        "print": printing.run_print,
        "export": printing.run_export,
        "backup": maintenance.run_backup,
        "restore": maintenance.run_restore,
        "check": maintenance.run_check,
    }
    return handlers[args.command](args)


def _utf8_stdout() -> None:
    """Names and quotes are not ASCII: never fail on a console with a narrow encoding, nor
    on a file name that is not UTF-8 (its odd bytes are written as ``\\xNN`` escapes)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
