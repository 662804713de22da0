"""Render the import dialog (CSV case) and the export dialog offscreen to PNGs.

Not a test. Run::

    QT_QPA_PLATFORM=offscreen python tests/gui/shots_dialogs.py [--out /tmp/shots] [--dark]

Writes ``import_dialog.png`` (a CSV of WNUT-17 sentences whose text column is
called "tweet"), ``import_dialog_binary.png``, ``import_dialog_conll.png``,
``import_result.png`` (a doccano file with an overlap and conflicting copies),
``export_dialog.png`` and ``conflicts.png`` (the main window's Conflicts filter).
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse  # noqa: E402
import csv  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.importer import import_file  # noqa: E402
from engine.store import Project  # noqa: E402
from gui.qt import QtWidgets  # noqa: E402

DATA = ROOT / "tests" / "data"


def wnut_sentences(n: int, path: Path = DATA / "dev.conll") -> list[str]:
    """Return the first ``n`` WNUT-17 sentences, tokens joined by spaces."""
    out, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cur.append(line.split("\t")[0])
        elif cur:
            out.append(" ".join(cur))
            cur = []
            if len(out) == n:
                break
    return out


def write_tweet_csv(path: Path, n: int = 20) -> Path:
    """Write a CSV with columns id, tweet, source from real WNUT-17 sentences."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "tweet", "source"])
        for i, s in enumerate(wnut_sentences(n), 1):
            w.writerow([i, s, "wnut17-dev"])
    return path


def _save(w: QtWidgets.QWidget, path: Path) -> str:
    w.show()
    QtWidgets.QApplication.processEvents()
    w.adjustSize()
    QtWidgets.QApplication.processEvents()
    w.grab().save(str(path))
    return str(path)


def render(out: Path, dark: bool = False) -> list[str]:
    from gui.import_dialog import ExportDialog, ImportDialog, ImportResultDialog
    from tests.gui.shots import dark_palette, shot_app

    app = shot_app()
    app.setStyle("Fusion")
    if dark:
        app.setPalette(dark_palette())
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    suffix = "_dark" if dark else ""
    written = []
    d = ImportDialog(write_tweet_csv(tmp / "tweets.csv"))
    written.append(_save(d, out / f"import_dialog{suffix}.png"))
    d.close()
    with Project.create(tmp / "bin.tessera"):
        pass
    binary = tmp / "notes.txt"
    binary.write_bytes((tmp / "bin.tessera").read_bytes())
    d = ImportDialog(binary)
    written.append(_save(d, out / f"import_dialog_binary{suffix}.png"))
    d.close()
    d = ImportDialog(DATA / "dev.conll")
    written.append(_save(d, out / f"import_dialog_conll{suffix}.png"))
    d.close()
    with Project.create(tmp / "teach.tessera") as p:  # a result with repairs and a conflict
        import_file(p, DATA / "foreign" / "prodigy_ner_teach.jsonl")
        summary = import_file(p, DATA / "foreign" / "doccano_pr777_labeling.json")
        d = ImportResultDialog(summary)
        written.append(_save(d, out / f"import_result{suffix}.png"))
        d.close()
    with Project.create(tmp / "wnut.tessera") as p:
        import_file(p, DATA / "dev.conll", status="new")
        ids = [r[0] for r in p.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 300")]
        p.set_status(ids, "done")
        d = ExportDialog(p)
        written.append(_save(d, out / f"export_dialog{suffix}.png"))
        d.close()
    # File ▸ Backups after an import, a label deletion and a hand-made backup
    from engine.backup import make_backup
    from gui.backups import BackupsDialog

    with Project.open(tmp / "teach.tessera") as p:
        make_backup(p.path, "made by hand")
        p.delete_label(p.label_by_name("PRODUCT").id)
        d = BackupsDialog(p.path)
        d.table.selectRow(1)
        written.append(_save(d, out / f"backups{suffix}.png"))
        d.close()
    # the main window listing conflicting copies (WNUT-17 dev's own pair and LeNER-Br's)
    from gui.main_window import MainWindow

    with Project.create(tmp / "conflicts.tessera") as p:
        import_file(p, DATA / "dev.conll")
        import_file(p, DATA / "foreign" / "lener_br_pt_dups.conll")
    w = MainWindow(tmp / "conflicts.tessera")
    w.resize(1300, 700)
    w.show()
    w.doc_panel.show_conflicts()
    w.doc_panel.select_row(3)
    QtWidgets.QApplication.processEvents()
    w.grab().save(str(out / f"conflicts{suffix}.png"))
    written.append(str(out / f"conflicts{suffix}.png"))
    w.close()
    return written


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="/tmp/shots")
    ap.add_argument("--dark", action="store_true")
    args = ap.parse_args()
    for f in render(Path(args.out), args.dark):
        print(f)
