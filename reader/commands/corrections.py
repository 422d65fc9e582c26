"""``reader corrections add|remove|relabel|alias|split|list|undo|redo|export|import``.

A correction is one rule about a name (``services.corrections``), kept in the library and
applied everywhere names are shown, on top of the cached analyses. Same conventions as the
other headless commands: results on stdout (one JSON document with ``--json``), sentences
about what else happened on stderr. Exit status: 0 done; 1 bad input (an empty name, an
unknown kind, an alias to itself or a circle of aliases, an unknown correction number, a
malformed rules file), printed as one line on stderr by ``cli.main``, and then nothing was
changed; 2 bad arguments (argparse); 130 Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from reader.commands.output import note, print_json, print_line, shorten, table
from reader.documents.loader import load_document
from reader.entities.corrections import Action
from reader.entities.corrections_exchange import rule_to_json
from reader.errors import ReaderError
from reader.services import corrections
from reader.services.library import existing_store, open_library
from reader.store import Store
from reader.store.corrections import StoredRule

Common = Callable[[argparse.ArgumentParser], None]
_LIST_HINT = "“reader corrections list” shows their numbers"


def register(commands: argparse._SubParsersAction, common: Common) -> None:
    parser = commands.add_parser(
        "corrections",
        help="correct names: not a name, another kind, a missed name, aliases",
        description=(
            "Rules about names, kept in the library and applied wherever names are shown "
            "(the window, search, mentions, notes, printed copies, 'reader entities'), on "
            "top of the names found earlier: the model does not run again. A rule applies "
            "to the whole library, or with --document to one article; a later rule wins "
            "over an earlier one; every rule can be undone."
        ),
    )
    actions = parser.add_subparsers(dest="corrections_command", required=True, metavar="ACTION")

    def rule_parser(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=description)
        sub.add_argument("text", metavar="TEXT", help="the name as it is written")
        sub.add_argument(
            "--document",
            metavar="FILE",
            help="only in this article (FILE joins the library if it is not there yet)",
        )
        sub.add_argument("--json", action="store_true", help="print the stored rule as JSON")
        common(sub)
        return sub

    add = rule_parser(
        "add",
        "a name the model missed, wherever it occurs",
        "TEXT is a name of KIND wherever it occurs as a whole word (case as written, "
        "unless --any-case).",
    )
    add.add_argument("--kind", metavar="KIND", help="person, place, organization or other")
    add.add_argument("--any-case", action="store_true", help="also in other capitalisations")
    rule_parser("remove", "TEXT is not a name", "TEXT is never highlighted as a name.")
    relabel = rule_parser("relabel", "TEXT is a name of another kind", "TEXT is a KIND.")
    relabel.add_argument("--kind", metavar="KIND", help="person, place, organization or other")
    alias = rule_parser(
        "alias",
        "TEXT is the same as another name",
        'TEXT is filed under CANONICAL ("Lavrov" as "Sergei Lavrov"); aliases chain.',
    )
    alias.add_argument(
        "--as", dest="canonical", metavar="CANONICAL", help="the name to file it under"
    )
    rule_parser(
        "split",
        "TEXT is a name of its own again",
        "Undo a wrong grouping: TEXT is filed under its own name.",
    )
    listing = actions.add_parser(
        "list",
        help="list the corrections with the mentions each changes",
        description=(
            "Every correction in the order they apply, undone ones marked, with the number "
            "of mentions each changes across the library's analysed articles."
        ),
    )
    listing.add_argument("--json", action="store_true", help="a JSON array")
    common(listing)
    for name, verb in (("undo", "undo a correction"), ("redo", "put an undone correction back")):
        sub = actions.add_parser(name, help=verb, description=f"{verb.capitalize()} by number.")
        sub.add_argument("id", metavar="ID", help="its number, as 'reader corrections list' shows")
        common(sub)
    export = actions.add_parser(
        "export",
        help="write the corrections in force to a JSON file",
        description="The corrections in force, in the JSON format 'corrections import' reads.",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (else stdout)")
    common(export)
    imports = actions.add_parser(
        "import",
        help="add the corrections of a JSON file (all, or none)",
        description=(
            "Add the rules of a corrections file after those already there. Any problem in "
            "the file is reported and nothing is imported. A backup copy is taken first."
        ),
    )
    imports.add_argument("file", metavar="FILE", help="a JSON file of corrections")
    common(imports)


def run_corrections(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "add": run_rule,
        "remove": run_rule,
        "relabel": run_rule,
        "alias": run_rule,
        "split": run_rule,
        "list": run_list,
        "undo": run_undo,
        "redo": run_undo,
        "export": run_export,
        "import": run_import,
    }
    return handlers[args.corrections_command](args)


_ACTIONS = {
    "add": Action.ADD,
    "remove": Action.NOT_A_NAME,
    "relabel": Action.KIND,
    "alias": Action.SAME_AS,
    "split": Action.SPLIT,
}


def run_rule(args: argparse.Namespace) -> int:
    """One new rule: checked completely before the library is touched."""
    document = load_document(args.document) if args.document else None
    rule = corrections.new_rule(
        _ACTIONS[args.corrections_command],
        args.text,
        kind=getattr(args, "kind", None),
        target=getattr(args, "canonical", None),
        document=document,
        case_sensitive=not getattr(args, "any_case", False),
    )
    with open_library() as store:
        if document is not None:
            imported = store.import_document(document)
            if imported.status == "imported":
                note(f"Added “{imported.title}” to the library (#{imported.document_id}).")
        stored, refresh = corrections.add(store, rule)
        if args.json:
            print_json(rule_json(stored, store))
            return 0
    mentions = f"{stored.changes:,} mention{'s' if stored.changes != 1 else ''}"
    print_line(f"Correction {stored.id}: {stored.rule.describe()}.")
    articles = f"{refresh.articles:,} analysed article{'s' if refresh.articles != 1 else ''}"
    note(
        f"It changes {mentions} across the library ({articles}); "
        f"undo it with: reader corrections undo {stored.id}"
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    with existing_store() as store:
        rules = corrections.listing(store)
        if args.json:
            print_json([rule_json(s, store) for s in rules])
            return 0
        titles = _titles(store, rules)
    if not rules:
        note(
            "There are no corrections yet; add one with, for example: "
            "reader corrections relabel Sonya --kind person"
        )
        return 0
    rows = [
        (
            str(s.id),
            shorten(s.rule.describe(), 70),
            titles.get(s.rule.document or "", "library"),
            f"{s.changes:,}" if s.active else "undone",
            s.created[:10],
        )
        for s in rules
    ]
    sys.stdout.write(table(("ID", "CORRECTION", "WHERE", "MENTIONS", "ADDED"), rows, {0, 3}))
    return 0


def _titles(store: Store | None, rules: list[StoredRule]) -> dict[str, str]:
    """What an article-scoped rule's article is called (its title, else its hash)."""
    titles: dict[str, str] = {}
    for stored in rules:
        scope = stored.rule.document
        if scope is None or scope in titles:
            continue
        titles[scope] = f"article {scope[:12]}…"
        found = store.find_by_text_hash(scope) if store is not None else None
        entry = store.get_entry(found) if store is not None and found is not None else None
        if entry is not None:
            titles[scope] = shorten(f"“{entry.title}”", 40)
    return titles


def rule_json(stored: StoredRule, store: Store | None) -> dict[str, Any]:
    data = rule_to_json(stored.rule)
    data = {"id": stored.id, **data, "description": stored.rule.describe()}
    if stored.rule.document is not None:
        data["document_title"] = _titles(store, [stored])[stored.rule.document]
    data.update(
        created=stored.created,
        undone=stored.undone,
        mentions_changed=stored.changes,
        articles_changed=stored.articles,
    )
    return data


def run_undo(args: argparse.Namespace) -> int:
    redo = args.corrections_command == "redo"
    try:
        rule_id = int(args.id)
    except ValueError:
        rule_id = 0
    if rule_id < 1:
        raise ReaderError(
            f"“{shorten(args.id, 30)}” is not the number of a correction; {_LIST_HINT}."
        )
    with open_library() as store:
        done = corrections.undo(store, rule_id, redo=redo)
        corrections.apply_to_library(store)
    if redo:
        print_line(f"Redone correction {rule_id}: {done.stored.rule.describe()}.")
    else:
        print_line(f"Undone correction {rule_id}: {done.stored.rule.describe()}.")
        note(f"It stays listed; put it back with: reader corrections redo {rule_id}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    with existing_store() as store:
        if args.output:
            count = corrections.export_to_file(store, args.output)
            note(f"Exported {count} correction{'s' if count != 1 else ''} to “{args.output}”.")
            return 0
        text, _count = corrections.export_text(store)
    sys.stdout.write(text)
    return 0


def run_import(args: argparse.Namespace) -> int:
    rules = corrections.read_rules_file(args.file)  # all checked before the library opens
    with open_library() as store:
        if not rules:
            note(f"“{args.file}” holds no corrections; nothing was imported.")
            return 0
        stored, _refresh = corrections.import_rules(store, rules)
    print_line(corrections.import_sentence(args.file, stored))
    return 0
