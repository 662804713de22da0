"""Keep the translation catalogue in step with the code (a developer's tool).

``python -m gui.i18n.catalogue [--fill FILE.json ...]``:

1. runs ``pyside6-lupdate`` over every module of gui/ (new ``tr()`` /
   ``QCoreApplication.translate`` / ``QT_TRANSLATE_NOOP`` strings are added unfinished,
   translations already made are kept);
2. adds every ``msg("...")`` template of engine/ (``engine.messages``) under the Qt
   context ``engine`` — lupdate cannot see them, the engine does not call Qt;
3. fills unfinished messages from JSON files of ``{"English": "中文"}`` (optional);
4. compiles the ``.qm`` with ``pyside6-lrelease`` and prints what is still unfinished.

Qt Linguist opens the same ``.ts`` file for translators who prefer it.
"""
from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from engine.messages import CONTEXT as ENGINE_CONTEXT

ROOT = Path(__file__).resolve().parents[2]
TS = Path(__file__).resolve().parent / "tessera_zh_CN.ts"
UNDONE = ("unfinished", "obsolete", "vanished")


def engine_templates(root: Path = ROOT) -> dict[str, str]:
    """Return ``template -> "file:line"`` for every ``msg("...")`` call in engine/."""
    out: dict[str, str] = {}
    for path in sorted((root / "engine").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "msg"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                out.setdefault(node.args[0].value, f"{path.relative_to(root)}:{node.lineno}")
    return out


def translations(ts: Path = TS) -> dict[tuple[str, str], str]:
    """Return ``(context, source) -> translation`` of the finished messages of ``ts``."""
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for message in ctx.iter("message"):
            tr = message.find("translation")
            if tr.get("type") not in UNDONE and (tr.text or "").strip():
                out[(name, message.findtext("source"))] = tr.text
    return out


def _lupdate(ts: Path) -> None:
    tool = shutil.which("pyside6-lupdate")
    if tool is None:
        sys.exit("pyside6-lupdate is not installed (it comes with PySide6)")
    sources = [str(p) for p in sorted((ROOT / "gui").rglob("*.py")) if "i18n" not in p.parts]
    subprocess.run([tool, *sources, "-locations", "none", "-ts", str(ts)], check=True, capture_output=True)


def _engine_context(root: ET.Element) -> None:
    """Put the engine's templates under their context: new ones unfinished, ones gone removed."""
    templates = engine_templates()
    ctx = next((c for c in root.iter("context") if c.findtext("name") == ENGINE_CONTEXT), None)
    if ctx is None:
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = ENGINE_CONTEXT
    have = {}
    for message in list(ctx.iter("message")):
        source = message.findtext("source")
        if source not in templates:
            ctx.remove(message)
            continue
        have[source] = message
        tr = message.find("translation")
        if tr.get("type") in ("obsolete", "vanished"):  # lupdate cannot see engine/
            if (tr.text or "").strip():
                tr.attrib.pop("type")
            else:
                tr.set("type", "unfinished")
    for source in templates:
        if source not in have:
            message = ET.SubElement(ctx, "message")
            ET.SubElement(message, "source").text = source
            ET.SubElement(message, "translation", type="unfinished")


def _fill(root: ET.Element, table: dict[str, str]) -> None:
    for message in root.iter("message"):
        tr = message.find("translation")
        source = message.findtext("source")
        if tr.get("type") == "unfinished" and table.get(source):
            tr.text = table[source]
            tr.attrib.pop("type")


def unfinished(root: ET.Element) -> list[tuple[str, str]]:
    """Return ``(context, source)`` of every message still to translate."""
    return [(ctx.findtext("name"), m.findtext("source")) for ctx in root.iter("context") for m in ctx.iter("message")
            if m.find("translation").get("type") == "unfinished"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill", nargs="*", default=[], help="JSON files of {English: translation}")
    parser.add_argument("--ts", default=str(TS))
    args = parser.parse_args(argv)
    ts = Path(args.ts)
    _lupdate(ts)
    tree = ET.parse(ts)
    root = tree.getroot()
    _engine_context(root)
    table: dict[str, str] = {}
    for name in args.fill:
        table.update(json.loads(Path(name).read_text(encoding="utf-8")))
    _fill(root, table)
    # drop what lupdate marked gone; keep the file in one stable shape
    for ctx in list(root.iter("context")):
        for message in list(ctx.iter("message")):
            if message.find("translation").get("type") in ("obsolete", "vanished"):
                ctx.remove(message)
        if not list(ctx.iter("message")):
            root.remove(ctx)
    ET.indent(tree)
    with open(ts, "wb") as fh:
        fh.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(fh, encoding="utf-8", xml_declaration=False)
        fh.write(b"\n")
    subprocess.run([shutil.which("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
                   check=True, capture_output=True)
    todo = unfinished(root)
    for ctx, source in todo:
        print(f"unfinished: [{ctx}] {source}")
    print(f"{len(todo)} unfinished of {sum(1 for _ in root.iter('message'))} messages")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
