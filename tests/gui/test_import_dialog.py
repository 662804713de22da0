"""The import and export option dialogs (offscreen) and File ▸ Import / Export through them,
checked against the store and the written files, on real WNUT-17 and Dolly data."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from engine.importer import import_file  # noqa: E402
from engine.store import Project  # noqa: E402
from gui import file_actions  # noqa: E402
from gui.import_dialog import ExportDialog, ImportDialog, ImportResultDialog, read_preview  # noqa: E402
from gui.qt import QtWidgets  # noqa: E402

Accepted = QtWidgets.QDialog.Accepted
Rejected = QtWidgets.QDialog.Rejected


# --------------------------------------------------------------------------- helpers


def wnut_sentences(data_dir: Path, n: int) -> list[str]:
    """The first ``n`` WNUT-17 dev sentences, tokens joined by spaces."""
    out, cur = [], []
    for line in (data_dir / "dev.conll").read_text(encoding="utf-8").splitlines():
        if line.strip():
            cur.append(line.split("\t")[0])
        elif cur:
            out.append(" ".join(cur))
            cur = []
            if len(out) == n:
                break
    return out


def write_csv(path: Path, header: list[str], rows: list[list], delimiter: str = ",") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def tweets_csv(tmp_path, data_dir):
    """A CSV of 20 WNUT-17 sentences whose text column is called "tweet" (not guessable)."""
    sents = wnut_sentences(data_dir, 20)
    path = write_csv(tmp_path / "tweets.csv", ["id", "tweet", "source"],
                     [[i, s, "wnut17-dev"] for i, s in enumerate(sents, 1)])
    return path, sents


@pytest.fixture
def binary_file(tmp_path):
    """A real binary file (a project database) under a text file's name."""
    with Project.create(tmp_path / "other.tessera") as p:
        p.add_document("Some text so the database has pages.")
    path = tmp_path / "notes.txt"
    path.write_bytes((tmp_path / "other.tessera").read_bytes())
    return path


@pytest.fixture
def messages(monkeypatch):
    """Record QMessageBox.information / warning calls, and the import result dialog,
    as (kind, title, text)."""
    seen: list[tuple[str, str, str]] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(
            QtWidgets.QMessageBox, kind,
            staticmethod(lambda parent, title, text, *a, _k=kind, **kw: seen.append((_k, title, text))),
        )
    monkeypatch.setattr(
        ImportResultDialog, "exec",
        lambda self: seen.append(("information", self.windowTitle(), str(self.summary))) or Accepted,
    )
    return seen


@pytest.fixture
def parent(qtbot):
    w = QtWidgets.QWidget()
    qtbot.addWidget(w)
    return w


def dialog(qtbot, cls, *args, **kwargs):
    d = cls(*args, **kwargs)
    qtbot.addWidget(d)
    return d


def choose(combo: QtWidgets.QComboBox, data) -> None:
    i = combo.findData(data)
    assert i >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(i)


def shown(d: QtWidgets.QWidget, w: QtWidgets.QWidget) -> bool:
    return w.isVisibleTo(d)


def patch_exec(monkeypatch, cls, setup, result=Accepted):
    """Make ``cls.exec`` run ``setup(dialog)`` and return ``result`` without showing it."""
    made = []

    def fake_exec(self):
        made.append(self)
        setup(self)
        return result

    monkeypatch.setattr(cls, "exec", fake_exec)
    return made


# --------------------------------------------------------------------------- import dialog


def test_conll_detected_and_previewed(qtbot, data_dir):
    d = dialog(qtbot, ImportDialog, data_dir / "dev.conll")
    assert d.current_format() == "conll"
    assert d.format_combo.currentText() == "CoNLL (detected)"
    lines = d.preview.toPlainText().splitlines()
    assert lines[:2] == ["Stabilized\tO", "approach\tO"] and len(lines) == 12
    assert "dev.conll" in d.windowTitle()
    assert d.import_button.text() == "Import" and d.import_button.isEnabled()
    assert not shown(d, d.text_column_combo) and not shown(d, d.line_radio)
    assert shown(d, d.options_title) and "CoNLL" in d.options_title.text()
    assert d.options() == ("conll", {"status": None, "split": None})
    # another format can be chosen; its options appear and go into options()
    choose(d.format_combo, "text")
    assert shown(d, d.line_radio) and not shown(d, d.text_column_combo)
    d.paragraph_radio.setChecked(True)
    choose(d.status_combo, "new")
    choose(d.split_combo, "test")
    assert d.options() == ("text", {"status": "new", "split": "test", "mode": "paragraph"})


def test_jsonl_detected_without_options(qtbot, data_dir):
    d = dialog(qtbot, ImportDialog, data_dir / "chat" / "dolly_open_qa_200.jsonl")
    assert d.format_combo.currentText() == "JSON Lines (detected)"
    assert d.preview.toPlainText().startswith('{"text": "### Human: Why can camels')
    assert d.preview_title.text() == "First 12 lines"
    assert not shown(d, d.options_title)
    assert d.options() == ("jsonl", {"status": None, "split": None})


def test_csv_offers_the_header_columns(qtbot, tweets_csv):
    path, sents = tweets_csv
    d = dialog(qtbot, ImportDialog, path)
    assert d.format_combo.currentText() == "CSV / TSV (detected)"
    assert shown(d, d.text_column_combo) and shown(d, d.delimiter_combo)
    cols = [d.text_column_combo.itemText(i) for i in range(d.text_column_combo.count())]
    assert cols == ["id", "tweet", "source"]
    # "tweet" is not a name the reader guesses: the user must choose, and is told so
    assert d.text_column_combo.currentIndex() == -1
    assert not d.import_button.isEnabled()
    assert shown(d, d.message) and "column" in d.message.text()
    d.text_column_combo.setCurrentIndex(cols.index("tweet"))
    assert d.import_button.isEnabled() and not shown(d, d.message)
    assert sents[0][:30] in d.text_column_hint.text()
    assert d.options() == ("csv", {"status": None, "split": None, "text_column": "tweet", "delimiter": ","})


def test_csv_guess_and_delimiter(qtbot, tmp_path, data_dir):
    sents = wnut_sentences(data_dir, 5)
    path = write_csv(tmp_path / "semi.csv", ["n", "Content"], [[i, s] for i, s in enumerate(sents)], ";")
    d = dialog(qtbot, ImportDialog, path)
    assert d.delimiter_combo.currentData() == ";"
    assert d.text_column_combo.currentText() == "Content"  # what the reader would take
    assert d.options()[1]["text_column"] == "Content"
    # a wrong delimiter reads one column; the right one brings the columns back
    choose(d.delimiter_combo, ",")
    assert d.text_column_combo.count() == 1
    choose(d.delimiter_combo, ";")
    assert [d.text_column_combo.itemText(i) for i in range(2)] == ["n", "Content"]
    assert d.text_column_combo.currentText() == "Content"


def test_binary_file_is_explained_and_refused(qtbot, binary_file):
    d = dialog(qtbot, ImportDialog, binary_file)
    assert shown(d, d.preview_error) and not shown(d, d.preview)
    assert "binary file" in d.preview_error.text()
    assert not d.import_button.isEnabled()
    assert not d.format_combo.isEnabled()
    with pytest.raises(Exception, match="binary"):
        read_preview(binary_file)


def test_bad_encoding_is_explained(qtbot, tmp_path, data_dir):
    path = tmp_path / "latin1.txt"
    path.write_bytes("\n".join(wnut_sentences(data_dir, 3)).encode("utf-8") + "\nCafé Müller\n".encode("latin-1"))
    d = dialog(qtbot, ImportDialog, path)
    assert shown(d, d.preview_error) and "not valid UTF-8" in d.preview_error.text()
    assert not d.import_button.isEnabled()


# --------------------------------------------------------------------------- import through File ▸ Import


def test_import_into_uses_the_dialog_choices(qtbot, parent, project, tweets_csv, messages, monkeypatch):
    path, sents = tweets_csv

    def setup(d):
        d.text_column_combo.setCurrentIndex(d.text_column_combo.findText("tweet"))
        choose(d.status_combo, "new")
        choose(d.split_combo, "dev")

    made = patch_exec(monkeypatch, ImportDialog, setup)
    assert file_actions.import_into(parent, project.path, path) is True
    assert made and made[0].file_path == path
    assert [m[:2] for m in messages] == [("information", "Import finished")]
    assert messages[0][2].startswith("Imported 20 documents") and "tweets.csv" in messages[0][2]
    assert project.count_documents() == 20
    assert project.count_documents(status="new", split="dev") == 20
    docs = [d for d, _ in project.iter_documents()]
    assert [d.text for d in docs] == sents
    assert docs[0].meta == {"id": "1", "source": "wnut17-dev"}


def test_import_into_status_done_and_text_paragraphs(qtbot, parent, project, tmp_path, data_dir, messages,
                                                     monkeypatch):
    sents = wnut_sentences(data_dir, 9)
    paras = ["\n".join(sents[i:i + 3]) for i in range(0, 9, 3)]
    path = tmp_path / "notes.txt"
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")

    def setup(d):
        assert d.current_format() == "text"
        d.paragraph_radio.setChecked(True)
        choose(d.status_combo, "done")
        choose(d.split_combo, "train")

    patch_exec(monkeypatch, ImportDialog, setup)
    assert file_actions.import_into(parent, project.path, path)
    assert project.count_documents(status="done", split="train") == 3
    assert [d.text for d, _ in project.iter_documents()] == paras


def test_import_cancelled_in_dialog_changes_nothing(qtbot, parent, project, data_dir, messages, monkeypatch):
    patch_exec(monkeypatch, ImportDialog, lambda d: None, result=Rejected)
    assert file_actions.import_into(parent, project.path, data_dir / "dev.conll") is False
    assert project.count_documents() == 0 and messages == []


def test_binary_import_fails_plainly_and_changes_nothing(qtbot, parent, project, binary_file, data_dir,
                                                         messages, monkeypatch):
    sents = wnut_sentences(data_dir, 4)
    for s in sents:
        project.add_document(s)
    patch_exec(monkeypatch, ImportDialog, lambda d: None)  # even if OK could be pressed
    assert file_actions.import_into(parent, project.path, binary_file) is False
    assert len(messages) == 1
    kind, title, text = messages[0]
    assert (kind, title) == ("warning", "Import failed")
    assert "binary file" in text and "project is unchanged" in text
    assert "--" not in text and "Traceback" not in text
    assert project.count_documents() == 4


def test_explicit_format_skips_the_dialog(qtbot, parent, project, data_dir, messages, monkeypatch):
    patch_exec(monkeypatch, ImportDialog, lambda d: pytest.fail("the dialog should not open"))
    path = data_dir / "chat" / "dolly_open_qa_200.jsonl"
    assert file_actions.import_into(parent, project.path, path, "auto", status="new")
    n = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert project.count_documents(status="new") == n


# --------------------------------------------------------------------------- export


@pytest.fixture
def wnut_project(project, data_dir):
    """WNUT-17 dev (1,006 sentences) with the first 50 marked done, the rest new."""
    import_file(project, data_dir / "dev.conll", status="new")
    ids = [r[0] for r in project.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 50")]
    project.set_status(ids, "done")
    return project


def test_export_dialog_maps_choices_to_export_kwargs(qtbot, wnut_project, tmp_path):
    p = wnut_project
    total = p.count_documents()
    d = dialog(qtbot, ExportDialog, p)
    assert [d.format_combo.itemText(i) for i in range(d.format_combo.count())] == [
        "CoNLL", "JSONL", "Label Studio JSON", "Text", "CSV", "TSV", "Parquet dataset (Hugging Face datasets)"]
    assert [d.which_combo.itemText(i) for i in range(3)] == [
        f"All documents ({total:,})", "Done only (50)", f"New only ({total - 50:,})"]
    assert d.export_button.text() == "Export"
    assert d.path_edit.text().endswith("test.conll")
    assert shown(d, d.scheme_combo) and shown(d, d.docstart_check) and not shown(d, d.prodigy_radio)
    # CoNLL: -DOCSTART- follows the automatic choice until the user changes it
    assert d.docstart_check.isChecked() is False  # every WNUT document is one sentence
    path, fmt, kw = d.options()
    assert (path.suffix, fmt, kw) == (".conll", "conll", {"status": None, "scheme": None, "docstart": None})
    choose(d.scheme_combo, "iobes")
    d.docstart_check.setChecked(True)
    choose(d.which_combo, "done")
    assert d.options()[1:] == ("conll", {"status": "done", "scheme": "iobes", "docstart": True})

    choose(d.format_combo, "jsonl")
    assert shown(d, d.doccano_radio) and not shown(d, d.scheme_combo)
    assert d.path_edit.text().endswith("test.jsonl")  # the extension follows the format
    assert shown(d, d.predictions_check)  # Prodigy style has a place for suggestions
    d.predictions_check.setChecked(True)
    assert d.options()[1:] == ("jsonl", {"status": "done", "style": "prodigy", "predictions": True})
    d.doccano_radio.setChecked(True)  # doccano has none: the option goes away
    assert not shown(d, d.predictions_check)
    assert d.options()[1:] == ("jsonl", {"status": "done", "style": "doccano"})
    d.predictions_check.setChecked(False)

    choose(d.format_combo, "text")
    d.paragraph_radio.setChecked(True)
    assert d.options()[0].suffix == ".txt"
    assert d.options()[1:] == ("text", {"status": "done", "mode": "paragraph"})

    choose(d.format_combo, "labelstudio")
    assert shown(d, d.predictions_check) and not shown(d, d.doccano_radio)
    assert d.options()[0].suffix == ".json" and d.options()[1:] == ("labelstudio", {"status": "done"})
    d.predictions_check.setChecked(True)
    assert d.options()[1:] == ("labelstudio", {"status": "done", "predictions": True})

    choose(d.format_combo, "tsv")
    choose(d.which_combo, None)
    assert d.options()[0].suffix == ".tsv"
    assert d.options()[1:] == ("csv", {"status": None, "delimiter": "\t"})

    # a name the user typed without extension gets the format's one; a typed one is kept
    d.path_edit.setText(str(tmp_path / "mine"))
    assert d.options()[0] == tmp_path / "mine.tsv"
    choose(d.format_combo, "csv")
    assert d.path_edit.text() == str(tmp_path / "mine.csv")


def test_export_dialog_refuses_what_cannot_work(qtbot, project, tmp_path, data_dir):
    for s in wnut_sentences(data_dir, 3):
        project.add_document(s)  # all new
    d = dialog(qtbot, ExportDialog, project)
    assert d.export_button.isEnabled()
    choose(d.which_combo, "done")
    assert not d.export_button.isEnabled() and "done" in d.message.text()
    choose(d.which_combo, "new")
    d.path_edit.setText(str(tmp_path / "no such folder" / "out.conll"))
    assert not d.export_button.isEnabled() and "does not exist" in d.message.text()
    d.path_edit.setText("")
    assert not d.export_button.isEnabled()
    d.path_edit.setText(str(tmp_path / "out.conll"))
    assert d.export_button.isEnabled() and not shown(d, d.message)


def test_export_from_writes_the_chosen_file(qtbot, parent, wnut_project, tmp_path, messages, monkeypatch):
    asked = []

    def save_name(parent_, caption, start, file_filter, *a, **k):
        asked.append(file_filter)
        return str(tmp_path / "done-docs"), file_filter.split(";;")[0]

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(save_name))

    def setup(d):
        choose(d.format_combo, "jsonl")
        d.doccano_radio.setChecked(True)
        choose(d.which_combo, "done")
        d.browse_button.click()

    patch_exec(monkeypatch, ExportDialog, setup)
    assert file_actions.export_from(parent, wnut_project.path) is True
    assert asked and asked[0].startswith("JSON Lines (*.jsonl)")
    out = tmp_path / "done-docs.jsonl"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 50
    assert all("label" in r and "spans" not in r for r in records)
    assert any(r["label"] for r in records)
    first = next(wnut_project.iter_documents(status="done"))[0]
    assert records[0]["text"] == first.text
    assert messages == [("information", "Export finished", f"Wrote 50 documents to {out}.")]


def test_export_from_conll_scheme_and_docstart(qtbot, parent, wnut_project, tmp_path, messages, monkeypatch):
    out = tmp_path / "all.conll"

    def setup(d):
        choose(d.scheme_combo, "iobes")
        d.docstart_check.setChecked(True)
        d.path_edit.setText(str(out))

    patch_exec(monkeypatch, ExportDialog, setup)
    assert file_actions.export_from(parent, wnut_project.path)
    text = out.read_text(encoding="utf-8")
    tags = {line.split()[-1].split("-")[0] for line in text.splitlines() if line.strip() and "DOCSTART" not in line}
    assert {"S", "B", "E", "O"} <= tags
    assert text.count("-DOCSTART-") == wnut_project.count_documents()
    assert messages[0][1] == "Export finished"


def test_export_dialog_parquet_dataset_folder(qtbot, parent, wnut_project, tmp_path, messages, monkeypatch):
    """The Parquet entry asks for a new folder (not a file), preselects the done
    documents, refuses a non-empty folder, and writes the dataset the CLI writes."""
    import pyarrow.parquet as pq

    d = dialog(qtbot, ExportDialog, wnut_project)
    d.path_edit.setText(str(tmp_path / "wnut.conll"))
    choose(d.format_combo, "parquet")
    assert d.path_edit.text() == str(tmp_path / "wnut-dataset")
    assert d.which_combo.currentData() == "done"
    assert not shown(d, d.scheme_combo) and not shown(d, d.predictions_check)
    assert d.options() == (tmp_path / "wnut-dataset", "parquet", {"status": "done"})
    full = tmp_path / "full"
    (full / "x").mkdir(parents=True)
    d.path_edit.setText(str(full))
    assert not d.export_button.isEnabled() and "not empty" in d.message.text()
    monkeypatch.setattr(QtWidgets.QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(full)))
    d.browse_button.click()
    assert d.path_edit.text() == str(full / "full")  # the new folder goes inside the chosen one
    assert d.export_button.isEnabled()
    choose(d.format_combo, "csv")
    assert d.path_edit.text() == str(full / "full.csv")

    out = tmp_path / "out-dataset"
    patch_exec(monkeypatch, ExportDialog, lambda d: (choose(d.format_combo, "parquet"), d.path_edit.setText(str(out))))
    assert file_actions.export_from(parent, wnut_project.path) is True
    tables = [pq.read_table(f) for f in sorted((out / "data").glob("*.parquet"))]
    assert sum(t.num_rows for t in tables) == 50 and (out / "README.md").is_file()
    assert messages[-1][1] == "Export finished" and "dataset of 50 documents" in messages[-1][2]


def test_export_cancelled_writes_nothing(qtbot, parent, wnut_project, tmp_path, messages, monkeypatch):
    patch_exec(monkeypatch, ExportDialog, lambda d: d.path_edit.setText(str(tmp_path / "x.conll")), Rejected)
    assert file_actions.export_from(parent, wnut_project.path) is False
    assert not (tmp_path / "x.conll").exists() and messages == []


# --------------------------------------------------------------------------- import result (issue 12)


def test_result_lists_repairs_and_offers_the_conflicts(qtbot, parent, project, tmp_path, monkeypatch):
    """The import's repairs (file:line: what was done) and its report file are shown,
    and "Show conflicts" calls back so the list can filter to them."""
    foreign = Path(__file__).resolve().parents[1] / "data" / "foreign"
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        (foreign / "doccano_dup_spans.jsonl").read_text(encoding="utf-8")
        + json.dumps({"text": "exampleA", "label": [[0, 7, "ORG"]]}) + "\n",
        encoding="utf-8",
    )
    shots = []

    def fake_exec(self):
        assert shown(self, self.notes_view) and shown(self, self.conflicts_button)
        assert "mixed.jsonl:1: the entity 0-1 (LOC) was listed twice" in self.notes_view.toPlainText()
        assert "mixed.jsonl:2: same text as document 1" in self.notes_view.toPlainText()
        assert str(project.path.with_suffix(".reports")) in self.report_hint.text()
        assert "kept 1 conflicting copy" in self.summary_label.text()
        shots.append(self)
        self.conflicts_button.click()
        return Accepted

    monkeypatch.setattr(ImportResultDialog, "exec", fake_exec)
    patch_exec(monkeypatch, ImportDialog, lambda d: None)
    called = []
    assert file_actions.import_into(parent, project.path, path, on_show_conflicts=lambda: called.append(1))
    assert shots and shots[0].show_conflicts and called == [1]
    assert project.count_conflicts() == 2


def test_strict_checkbox_refuses_overlaps(qtbot, parent, project, tmp_path, messages, monkeypatch):
    path = tmp_path / "overlap.jsonl"
    path.write_text(json.dumps({"text": "New York City", "label": [[0, 8, "LOC"], [4, 13, "LOC"]]}) + "\n",
                    encoding="utf-8")

    def setup(d):
        d.strict_check.setChecked(True)
        assert d.options()[1]["strict"] is True

    patch_exec(monkeypatch, ImportDialog, setup)
    assert file_actions.import_into(parent, project.path, path) is False
    assert messages[-1][:2] == ("warning", "Import failed") and "overlap" in messages[-1][2]
    assert project.count_documents() == 0


def test_export_dialog_offers_the_imported_scheme(qtbot, project, tmp_path):
    d = dialog(qtbot, ExportDialog, project)
    choose(d.format_combo, "conll")
    assert d.scheme_combo.currentData() is None  # "As imported"
    assert d.options()[2]["scheme"] is None
