"""The File ▸ Import and File ▸ Export option dialogs.

:class:`ImportDialog` shows what a chosen file looks like (name, size, its first
lines) and asks how to read it: the format (the detected one preselected), the
status and split to give the documents, and the options of that format only (CSV:
which column holds the text and the delimiter; text: one document per line or per
paragraph). :meth:`ImportDialog.options` returns exactly the arguments for
:func:`engine.importer.import_file`.

:class:`ExportDialog` asks for the format and its options (CoNLL tag scheme and
``-DOCSTART-`` lines, JSONL style, text mode), which documents to write and where;
:meth:`ExportDialog.options` returns the arguments for
:func:`engine.exporter.export_file`.

Neither dialog imports or exports anything: :mod:`gui.file_actions` runs the work.
Problems the user can fix (no text column chosen, a missing folder) are explained in
a line inside the dialog and keep the OK button disabled.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from engine import formats
from engine.errors import FormatError
from engine.exporter import default_docstart
from engine.formats import csvfmt
from engine.formats.base import detect_encoding
from engine.formats.tags import SCHEMES
from engine.store import Project
from gui.i18n import engine_text
from gui.label_style import is_dark
from gui.qt import QtCore, QtGui, QtWidgets, Qt

#: How many lines the import preview shows, and how much of a line.
PREVIEW_LINES = 12
_PREVIEW_BYTES = 64 * 1024
_PREVIEW_WIDTH = 300
_HINT_WIDTH = 400  # pixels a one-line hint under a field may take

#: Format name -> how the import dialog names it (English; shown translated, context "ImportDialog").
FORMAT_TITLES = {
    "conll": "CoNLL",
    "iob": QtCore.QT_TRANSLATE_NOOP("ImportDialog", "spaCy IOB (word|tag per token)"),
    "jsonl": "JSON Lines",
    "labelstudio": QtCore.QT_TRANSLATE_NOOP("ImportDialog", "JSON (Label Studio, doccano or Prodigy records)"),
    "text": QtCore.QT_TRANSLATE_NOOP("ImportDialog", "Plain text"),
    "csv": "CSV / TSV",
}
_IMPORT_STATUS = (
    (QtCore.QT_TRANSLATE_NOOP("ImportDialog", "Automatic (labeled → done)"), None),
    (QtCore.QT_TRANSLATE_NOOP("ImportDialog", "Done"), "done"),
    (QtCore.QT_TRANSLATE_NOOP("ImportDialog", "New"), "new"),
)
_IMPORT_SPLIT = (
    (QtCore.QT_TRANSLATE_NOOP("ImportDialog", "None (automatic)"), None),
    (QtCore.QT_TRANSLATE_NOOP("ImportDialog", "train"), "train"),
    (QtCore.QT_TRANSLATE_NOOP("ImportDialog", "dev"), "dev"),
    (QtCore.QT_TRANSLATE_NOOP("ImportDialog", "test"), "test"),
)
_DELIMITERS = {
    ",": QtCore.QT_TRANSLATE_NOOP("ImportDialog", "Comma  ( , )"),
    "\t": QtCore.QT_TRANSLATE_NOOP("ImportDialog", "Tab"),
    ";": QtCore.QT_TRANSLATE_NOOP("ImportDialog", "Semicolon  ( ; )"),
    "|": QtCore.QT_TRANSLATE_NOOP("ImportDialog", "Pipe  ( | )"),
}

#: Export choice -> (title, format, extension, file-dialog filter, options, what is written); the
#: texts are English, shown translated (context "ExportDialog").
EXPORT_FORMATS: dict[str, tuple[str, str, str, str, dict, str]] = {
    "conll": ("CoNLL", "conll", ".conll", "CoNLL (*.conll)", {},
              QtCore.QT_TRANSLATE_NOOP("ExportDialog",
                                       "One token and its tag per line, a blank line between sentences.")),
    "jsonl": ("JSONL", "jsonl", ".jsonl", "JSON Lines (*.jsonl)", {},
              QtCore.QT_TRANSLATE_NOOP("ExportDialog",
                                       "One JSON record per document, entities as character offsets.")),
    "labelstudio": ("Label Studio JSON", "labelstudio", ".json", "Label Studio JSON (*.json)", {},
                    QtCore.QT_TRANSLATE_NOOP("ExportDialog",
                                             "A JSON list of tasks with their annotations, ready for Label Studio.")),
    "text": (QtCore.QT_TRANSLATE_NOOP("ExportDialog", "Text"), "text", ".txt",
             QtCore.QT_TRANSLATE_NOOP("ExportDialog", "Text (*.txt)"), {},
             QtCore.QT_TRANSLATE_NOOP("ExportDialog", "Only the text is written; entities are left out.")),
    "csv": ("CSV", "csv", ".csv", "CSV (*.csv)", {},
            QtCore.QT_TRANSLATE_NOOP("ExportDialog", "A text column and the other fields; entities are left out.")),
    "tsv": ("TSV", "csv", ".tsv", "TSV (*.tsv)", {"delimiter": "\t"},
            QtCore.QT_TRANSLATE_NOOP("ExportDialog", "Tab-separated text and other fields; entities are left out.")),
    "parquet": (QtCore.QT_TRANSLATE_NOOP("ExportDialog", "Parquet dataset (Hugging Face datasets)"), "parquet", "", "",
                {}, QtCore.QT_TRANSLATE_NOOP(
                    "ExportDialog",
                    "A new folder: train/validation/test Parquet files and a dataset card, for datasets.")),
}
_EXPORT_SUFFIXES = {v[2] for v in EXPORT_FORMATS.values() if v[2]}
DATASET_SUFFIX = "-dataset"  # the Parquet export's folder: <project>-dataset
_SCHEME_TITLES = {"bio": "BIO (IOB2)", "iob1": "IOB1", "iobes": "IOBES", "bmes": "BMES"}


def human_size(n: int) -> str:
    """Return ``n`` bytes as ``532 bytes`` / ``12.4 KB`` / ``3.1 MB``."""
    if n < 1024:
        if n == 1:
            return QtCore.QCoreApplication.translate("ImportDialog", "1 byte")
        return QtCore.QCoreApplication.translate("ImportDialog", "{n} bytes").format(n=f"{n:,}")
    size = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1024
        if size < 1024 or unit == "TB":
            return f"{size:,.1f} {unit}"
    return f"{n:,} bytes"  # not reached


def read_preview(path: str | Path, n: int = PREVIEW_LINES) -> tuple[list[str], bool]:
    """Return the first ``n`` lines of a text file and whether more follow.

    The encoding comes from :func:`engine.formats.base.detect_encoding`; at most 64 KB
    are read and each line is cut to a few hundred characters.

    Raises:
        FormatError: missing, binary or UTF-32 file, or text that is not valid in its
            encoding (the message says what to do).
    """
    enc = detect_encoding(path)
    with open(path, "rb") as fh:
        data = fh.read(_PREVIEW_BYTES)
        more_bytes = bool(fh.read(1))
    try:
        text = codecs.getincrementaldecoder(enc)().decode(data, final=not more_bytes)
    except UnicodeDecodeError as exc:
        name = "UTF-16" if enc == "utf-16" else "UTF-8"
        raise FormatError(
            path, data.count(b"\n", 0, exc.start) + 1,
            QtCore.QCoreApplication.translate(
                "ImportDialog", "the text is not valid {encoding} (perhaps it was saved as Latin-1 or "
                "Windows-1252). Save the file as UTF-8 and import again.").format(encoding=name),
        ) from None
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise FormatError(path, 0, QtCore.QCoreApplication.translate(
            "ImportDialog", "the file contains NUL bytes; this looks like a binary file, not text."))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if more_bytes and len(lines) > 1:
        lines.pop()  # cut mid-line
    elif lines and lines[-1] == "":
        lines.pop()
    more = more_bytes or len(lines) > n
    out = [l if len(l) <= _PREVIEW_WIDTH else l[:_PREVIEW_WIDTH] + " …" for l in lines[:n]]
    return out, more


def _hint(text: str = "") -> QtWidgets.QLabel:
    """Return a small, muted one-line label for explanations under a field.

    (Hints do not wrap: a wrapped label inside a form row makes Qt under-estimate the
    row's height and squeeze the field above it. Keep them short or elide them.)
    """
    label = QtWidgets.QLabel(text)
    label.setForegroundRole(QtGui.QPalette.PlaceholderText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.92)
    label.setFont(font)
    return label


def _error_colour(widget: QtWidgets.QWidget) -> str:
    """Return a red that reads on the widget's theme (light or dark)."""
    return "#f2b8b5" if is_dark(widget.palette()) else "#b3261e"


def _ok_cancel(dialog: QtWidgets.QDialog, ok_text: str) -> tuple[QtWidgets.QDialogButtonBox, QtWidgets.QPushButton]:
    """Return an OK/Cancel button box wired to ``dialog`` and its OK button, renamed ``ok_text``."""
    buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Ok | QtWidgets.QDialogButtonBox.Cancel)
    ok = buttons.button(QtWidgets.QDialogButtonBox.Ok)
    ok.setText(ok_text)
    ok.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


def _message_line() -> QtWidgets.QLabel:
    """Return the line that says why OK is disabled (hidden while there is nothing to say)."""
    label = QtWidgets.QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {_error_colour(label)}")
    label.hide()
    return label


def _form() -> QtWidgets.QFormLayout:
    form = QtWidgets.QFormLayout()
    form.setFieldGrowthPolicy(QtWidgets.QFormLayout.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
    form.setFormAlignment(Qt.AlignLeft | Qt.AlignTop)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(8)
    return form


def _section(title: str) -> QtWidgets.QLabel:
    """Return a bold heading for a group of form rows."""
    label = QtWidgets.QLabel(title)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 10, 0, 0)
    return label


def _stack(*widgets: QtWidgets.QWidget, spacing: int = 3) -> QtWidgets.QWidget:
    """Return a widget holding ``widgets`` one above the other (a field with its hint)."""
    holder = QtWidgets.QWidget()
    lay = QtWidgets.QVBoxLayout(holder)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(spacing)
    for w in widgets:
        lay.addWidget(w)
    return holder


def _fixed_combo(width: int = 280) -> QtWidgets.QComboBox:
    combo = QtWidgets.QComboBox()
    combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToContents)
    combo.setMinimumWidth(width)
    combo.setSizePolicy(QtWidgets.QSizePolicy.Fixed, QtWidgets.QSizePolicy.Fixed)
    return combo


def _set_message(label: QtWidgets.QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


# --------------------------------------------------------------------------- import


class ImportDialog(QtWidgets.QDialog):
    """Options for importing one file; :meth:`options` gives the ``import_file`` arguments.

    Public widgets (for tests): ``format_combo``, ``status_combo``, ``split_combo``,
    ``preview`` (read-only text), ``preview_error`` (shown instead of the preview for
    a binary or undecodable file), ``text_column_combo``, ``delimiter_combo``, ``line_radio``, ``paragraph_radio``,
    ``message`` and ``import_button``.
    """

    def __init__(self, file_path: str | Path, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.file_path = Path(file_path)
        self.setWindowTitle(self.tr("Import {name}").format(name=self.file_path.name))
        self.setMinimumWidth(620)
        self._csv_first_row: list[str] = []
        self._csv_loaded_with: str | None = "<none>"
        self._csv_error = ""

        # ---- the file: name, folder and size, first lines
        name = QtWidgets.QLabel(self.file_path.name)
        font = name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        name.setFont(font)
        name.setTextInteractionFlags(Qt.TextSelectableByMouse)
        try:
            size = human_size(self.file_path.stat().st_size)
        except OSError:
            size = self.tr("size unknown")
        folder = QtGui.QFontMetrics(name.font()).elidedText(str(self.file_path.parent), Qt.ElideMiddle, 480)
        where = _hint(f"{size}  ·  {folder}")
        where.setTextInteractionFlags(Qt.TextSelectableByMouse)
        where.setToolTip(str(self.file_path))

        self.preview_title = QtWidgets.QLabel(self.tr("Preview"))
        self.preview = QtWidgets.QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QtWidgets.QPlainTextEdit.NoWrap)
        mono = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.FixedFont)
        self.preview.setFont(mono)
        fm = QtGui.QFontMetricsF(mono)
        self.preview.setTabStopDistance(fm.horizontalAdvance(" ") * 8)
        self.preview.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.preview.setFixedHeight(int(
            fm.lineSpacing() * PREVIEW_LINES + 2 * self.preview.document().documentMargin()
            + 2 * self.preview.frameWidth() + self.preview.horizontalScrollBar().sizeHint().height() + 2
        ))
        self.preview_error = QtWidgets.QLabel()
        self.preview_error.setWordWrap(True)
        self.preview_error.setTextFormat(Qt.PlainText)
        self.preview_error.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.preview_error.setMargin(12)
        self.preview_error.setStyleSheet(
            f"QLabel {{ color: {_error_colour(self)}; background: rgba(179, 38, 30, 0.10);"
            " border: 1px solid rgba(179, 38, 30, 0.45); border-radius: 4px; }"
        )
        self.preview_error.hide()
        self.readable = self._load_preview()

        # ---- format, status, split
        self.detected: str | None = None
        self.detect_problem = ""
        if self.readable:
            try:
                self.detected = formats.detect_format(self.file_path)
            except FormatError:
                self.detect_problem = self.tr("Tessera could not tell the format of this file. Choose it in the list.")
        self.format_combo = _fixed_combo()
        self.format_combo.setPlaceholderText(self.tr("Choose a format…"))
        for fmt in formats.FORMATS:
            title = QtCore.QCoreApplication.translate("ImportDialog", FORMAT_TITLES.get(fmt, fmt))
            self.format_combo.addItem(self.tr("{title} (detected)").format(title=title) if fmt == self.detected
                                      else title, fmt)
        self.format_combo.setCurrentIndex(self.format_combo.findData(self.detected) if self.detected else -1)
        self.format_hint = _hint()
        self.status_combo = _fixed_combo()
        for title, value in _IMPORT_STATUS:
            self.status_combo.addItem(QtCore.QCoreApplication.translate("ImportDialog", title), value)
        self.status_combo.setToolTip(self.tr(
            "Automatic: documents with entities (and every CoNLL sentence) are marked done, the others new."
        ))
        self.split_combo = _fixed_combo()
        for title, value in _IMPORT_SPLIT:
            self.split_combo.addItem(QtCore.QCoreApplication.translate("ImportDialog", title), value)
        self.split_combo.setToolTip(self.tr(
            "The part of the data set these documents belong to for training and evaluation. "
            "None lets Tessera choose."
        ))
        for combo in (self.format_combo, self.status_combo, self.split_combo):
            combo.setEnabled(self.readable)
        form = self.form = _form()
        form.addRow(self.tr("Format:"), _stack(self.format_combo, self.format_hint))
        form.addRow(self.tr("Mark documents as:"), self.status_combo)
        form.addRow(self.tr("Split:"), self.split_combo)
        self.strict_check = QtWidgets.QCheckBox(self.tr("Refuse the file if a record has overlapping entities"))
        self.strict_check.setToolTip(self.tr(
            "Tessera keeps one entity per character. By default the longer of two overlapping entities is kept "
            "and every change is listed after the import; tick this to refuse such a file instead."
        ))
        self.strict_check.setEnabled(self.readable)
        form.addRow(self.tr("Overlaps:"), self.strict_check)

        # ---- options of one format: rows shown only while that format is chosen
        self.options_title = _section(self.tr("Options"))
        form.addRow(self.options_title)
        self._rows: dict[str, list[QtWidgets.QWidget]] = {}

        self.text_column_combo = _fixed_combo()
        self.text_column_combo.setPlaceholderText(self.tr("Choose the column with the text"))
        self.text_column_hint = _hint()
        self.delimiter_combo = _fixed_combo()
        for d in csvfmt.DELIMITERS:
            self.delimiter_combo.addItem(
                QtCore.QCoreApplication.translate("ImportDialog", _DELIMITERS[d]) if d in _DELIMITERS else repr(d), d)
        csv_rows = [_stack(self.text_column_combo, self.text_column_hint),
                    _stack(self.delimiter_combo, _hint(self.tr("The other columns are kept with each document.")))]
        form.addRow(self.tr("Text column:"), csv_rows[0])
        form.addRow(self.tr("Delimiter:"), csv_rows[1])
        self._rows["csv"] = csv_rows

        self.line_radio = QtWidgets.QRadioButton(self.tr("One per line"))
        self.paragraph_radio = QtWidgets.QRadioButton(
            self.tr("One per paragraph (paragraphs are separated by blank lines)"))
        self.line_radio.setChecked(True)
        self._mode_group = QtWidgets.QButtonGroup(self)
        self._mode_group.addButton(self.line_radio)
        self._mode_group.addButton(self.paragraph_radio)
        text_rows = [_stack(self.line_radio, self.paragraph_radio, spacing=6)]
        form.addRow(self.tr("Documents:"), text_rows[0])
        self._rows["text"] = text_rows

        scheme_info = QtWidgets.QLabel(self.tr(
            "BIO, IOB1, IOBES and BMES are read; export keeps the file's scheme."
        ))
        doc_info = QtWidgets.QLabel(self.tr(
            "One per sentence, or one per article when the file has -DOCSTART- lines.\n"
            "Index, token and tag columns are found from the content; others are kept."
        ))
        form.addRow(self.tr("Tagging scheme:"), scheme_info)
        form.addRow(self.tr("Documents:"), doc_info)
        self._rows["conll"] = [scheme_info, doc_info]

        # ---- buttons
        self.message = _message_line()
        self.buttons, self.import_button = _ok_cancel(self, self.tr("Import"))

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(6)
        lay.addWidget(name)
        lay.addWidget(where)
        lay.addSpacing(10)
        lay.addWidget(self.preview_title)
        lay.addWidget(self.preview)
        lay.addWidget(self.preview_error)
        lay.addSpacing(10)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addSpacing(8)
        lay.addWidget(self.message)
        lay.addSpacing(8)
        lay.addWidget(self.buttons)

        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.delimiter_combo.currentIndexChanged.connect(self._delimiter_changed)
        self.text_column_combo.currentIndexChanged.connect(self._column_changed)
        self._format_changed()

    # ---- reading the file

    def _load_preview(self) -> bool:
        try:
            lines, more = read_preview(self.file_path)
        except FormatError as exc:
            self.preview.hide()
            self.preview_title.setText(self.tr("Preview"))
            self.preview_error.setText(
                self.tr("This file cannot be imported: {error}").format(error=engine_text(exc.message)))
            self.preview_error.show()
            return False
        if not lines:
            self.preview.setPlainText("")
            self.preview.setPlaceholderText(self.tr("The file is empty."))
        else:
            self.preview.setPlainText("\n".join(lines))
            firsts = [len(l.split("\t", 1)[0]) for l in lines if "\t" in l]
            chars = min(max([8, *(n + 2 for n in firsts)]), 24)
            space = QtGui.QFontMetricsF(self.preview.font()).horizontalAdvance(" ")
            self.preview.setTabStopDistance(space * chars)
        self.preview_title.setText(
            self.tr("First {n} lines").format(n=len(lines)) if more
            else (self.tr("Whole file") if lines else self.tr("Preview"))
        )
        return True

    def _load_csv_header(self, delimiter: str | None) -> None:
        """Fill the text-column chooser from the header row (read with ``delimiter``; ``None``: guess)."""
        keep = self.text_column_combo.currentText() if self.text_column_combo.currentIndex() >= 0 else None
        self.text_column_combo.blockSignals(True)
        self.text_column_combo.clear()
        self._csv_first_row = []
        self._csv_error = ""
        try:
            used, names, first = csvfmt.sniff(self.file_path, delimiter)
        except FormatError as exc:
            self._csv_error = self.tr("Cannot read the header row: {error}").format(error=engine_text(exc.message))
            names, used = [], delimiter
        else:
            self._csv_first_row = first
            self.text_column_combo.addItems(names)
            pick = keep if keep in names else csvfmt.guess_text_column(names)
            self.text_column_combo.setCurrentIndex(names.index(pick) if pick in names else -1)
        self.text_column_combo.blockSignals(False)
        if used is not None:
            i = self.delimiter_combo.findData(used)
            if i < 0:
                self.delimiter_combo.addItem(repr(used), used)
                i = self.delimiter_combo.count() - 1
            self.delimiter_combo.blockSignals(True)
            self.delimiter_combo.setCurrentIndex(i)
            self.delimiter_combo.blockSignals(False)
        self._csv_loaded_with = delimiter
        self._column_changed()

    # ---- reacting to choices

    def _format_changed(self) -> None:
        fmt = self.current_format()
        self.format_hint.setText(
            engine_text(formats.FORMATS[fmt][1]) if fmt
            else self.detect_problem)
        self.format_hint.setVisible(bool(self.format_hint.text()))
        for name, rows in self._rows.items():
            for w in rows:
                self.form.setRowVisible(w, name == fmt)
        self.form.setRowVisible(self.options_title, fmt in self._rows)
        if fmt in self._rows:
            self.options_title.setText(self.tr("{format} options").format(
                format=QtCore.QCoreApplication.translate("ImportDialog", FORMAT_TITLES.get(fmt, fmt))))
        if fmt == "csv" and self.readable and self._csv_loaded_with == "<none>":
            self._load_csv_header(None)
        self._validate()
        if self.isVisible():
            self.adjustSize()

    def _delimiter_changed(self) -> None:
        self._load_csv_header(self.delimiter_combo.currentData())
        self._validate()

    def _column_changed(self) -> None:
        i = self.text_column_combo.currentIndex()
        if self._csv_error:
            hint = ""
        elif i < 0:
            hint = self.tr("None of the columns is called text, content, sentence or document.")
        elif i < len(self._csv_first_row):
            sample = " ".join(self._csv_first_row[i].split())
            first_row = self.tr("First row: “{sample}”")
            fm = QtGui.QFontMetrics(self.text_column_hint.font())
            room = _HINT_WIDTH - fm.horizontalAdvance(first_row.format(sample=""))
            sample = fm.elidedText(sample, Qt.ElideRight, room)
            hint = first_row.format(sample=sample) if sample else self.tr("The first row has no text in this column.")
        else:
            hint = ""
        self.text_column_hint.setText(hint)
        self.text_column_hint.setVisible(bool(hint))
        self._validate()

    def _validate(self) -> None:
        problem = ""
        fmt = self.current_format()
        if not self.readable:
            problem = ""  # the preview says why
        elif fmt is None:
            problem = self.tr("Choose the format of the file.")
        elif fmt == "csv" and self._csv_error:
            problem = self._csv_error
        elif fmt == "csv" and self.text_column_combo.currentIndex() < 0:
            problem = self.tr("Choose the column that holds the text.")
        _set_message(self.message, problem)
        self.import_button.setEnabled(self.readable and not problem)

    # ---- result

    def current_format(self) -> str | None:
        """Return the chosen format name, or ``None`` while none is chosen."""
        return self.format_combo.currentData() if self.format_combo.currentIndex() >= 0 else None

    def options(self) -> tuple[str, dict]:
        """Return ``(fmt, kwargs)`` for ``import_file(project, path, fmt, **kwargs)``.

        ``kwargs`` holds ``status`` and ``split`` (``None``: automatic) and the
        options of the chosen format's reader (``text_column`` and ``delimiter`` for
        CSV, ``mode`` for text). ``fmt`` is ``"auto"`` when no format is chosen.
        """
        fmt = self.current_format() or "auto"
        kwargs: dict = {"status": self.status_combo.currentData(), "split": self.split_combo.currentData()}
        if self.strict_check.isChecked():
            kwargs["strict"] = True
        if fmt == "csv":
            if self.text_column_combo.currentIndex() >= 0:
                kwargs["text_column"] = self.text_column_combo.currentText()
            kwargs["delimiter"] = self.delimiter_combo.currentData()
        elif fmt == "text":
            kwargs["mode"] = "paragraph" if self.paragraph_radio.isChecked() else "line"
        return fmt, kwargs


# --------------------------------------------------------------------------- export


class ExportDialog(QtWidgets.QDialog):
    """Options for exporting a project; :meth:`options` gives the ``export_file`` arguments.

    ``status`` preselects which documents (``None`` all, ``done``, ``new``). Public
    widgets (for tests): ``format_combo``, ``scheme_combo``, ``docstart_check``,
    ``prodigy_radio``, ``doccano_radio``, ``line_radio``, ``paragraph_radio``,
    ``which_combo``, ``path_edit``, ``browse_button``, ``message``, ``export_button``.
    """

    def __init__(self, project: Project, parent: QtWidgets.QWidget | None = None, status: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export documents"))
        self.setMinimumWidth(600)
        self.project = project
        self.docstart_auto = default_docstart(project)

        self.format_combo = _fixed_combo()
        for key, (title, *_rest) in EXPORT_FORMATS.items():
            self.format_combo.addItem(QtCore.QCoreApplication.translate("ExportDialog", title), key)
        self.format_hint = _hint()
        form = self.form = _form()
        form.addRow(self.tr("Format:"), _stack(self.format_combo, self.format_hint))

        # ---- options of one format: rows shown only while that format is chosen
        self.options_title = _section(self.tr("Options"))
        form.addRow(self.options_title)
        self._rows: dict[str, list[QtWidgets.QWidget]] = {}

        self.scheme_combo = _fixed_combo()
        self.scheme_combo.addItem(self.tr("As imported (BIO for documents made here)"), None)
        for s in SCHEMES:
            self.scheme_combo.addItem(_SCHEME_TITLES.get(s, s.upper()), s)
        self.docstart_check = QtWidgets.QCheckBox(self.tr("-DOCSTART- between documents"))
        self.docstart_check.setChecked(self.docstart_auto)
        self.docstart_hint = _hint()
        conll_rows = [self.scheme_combo, _stack(self.docstart_check, self.docstart_hint)]
        form.addRow(self.tr("Tagging scheme:"), conll_rows[0])
        form.addRow(self.tr("Documents:"), conll_rows[1])
        self._rows["conll"] = conll_rows

        self.prodigy_radio = QtWidgets.QRadioButton(self.tr('Prodigy: "spans" with start, end and label'))
        self.doccano_radio = QtWidgets.QRadioButton(self.tr('doccano: "label" as [start, end, label] lists'))
        self.spacy_radio = QtWidgets.QRadioButton(self.tr('spaCy: "ents", and "cats" with a score per category'))
        self.prodigy_radio.setChecked(True)
        self._style_group = QtWidgets.QButtonGroup(self)
        self._style_group.addButton(self.prodigy_radio)
        self._style_group.addButton(self.doccano_radio)
        self._style_group.addButton(self.spacy_radio)
        self._rows["jsonl"] = [_stack(self.prodigy_radio, self.doccano_radio, self.spacy_radio, spacing=6)]
        form.addRow(self.tr("Style:"), self._rows["jsonl"][0])

        self.line_radio = QtWidgets.QRadioButton(self.tr("One per line"))
        self.paragraph_radio = QtWidgets.QRadioButton(self.tr("One per paragraph, a blank line between documents"))
        self.line_radio.setChecked(True)
        self._mode_group = QtWidgets.QButtonGroup(self)
        self._mode_group.addButton(self.line_radio)
        self._mode_group.addButton(self.paragraph_radio)
        self._rows["text"] = [_stack(self.line_radio, self.paragraph_radio, spacing=6)]
        form.addRow(self.tr("Documents:"), self._rows["text"][0])

        self.predictions_check = QtWidgets.QCheckBox(self.tr("Add the model's suggestions as predictions, with scores"))
        self.predictions_check.setToolTip(self.tr(
            "Suggestions nobody accepted are never written as annotations. With this, Label Studio shows them as "
            "predictions (one per training run); Prodigy JSONL gets them as unanswered ner.teach questions, "
            "each with its score."))
        form.addRow(self.tr("Suggestions:"), self.predictions_check)
        self.prodigy_radio.toggled.connect(self._style_changed)

        # ---- which documents, where
        form.addRow(_section(self.tr("Documents and file")))
        self.which_combo = _fixed_combo()
        for title, value in ((self.tr("All documents ({count})"), None), (self.tr("Done only ({count})"), "done"),
                             (self.tr("New only ({count})"), "new")):
            self.which_combo.addItem(title.format(count=f"{project.count_documents(status=value):,}"), value)
        self.which_combo.setCurrentIndex(max(0, self.which_combo.findData(status)))
        self.path_edit = QtWidgets.QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Where to save the file"))
        self.path_edit.setClearButtonEnabled(True)
        self.browse_button = QtWidgets.QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self.browse)
        path_row = QtWidgets.QHBoxLayout()
        path_row.setSpacing(6)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        form.addRow(self.tr("Which documents:"), self.which_combo)
        form.addRow(self.tr("Save to:"), path_row)

        self.message = _message_line()
        self.buttons, self.export_button = _ok_cancel(self, self.tr("Export"))

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(8)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addSpacing(8)
        lay.addWidget(self.message)
        lay.addSpacing(8)
        lay.addWidget(self.buttons)

        stem = Path(getattr(project, "path", "export")).stem or "export"
        folder = Path(getattr(project, "path", Path.home() / "x")).parent
        self.path_edit.setText(str(folder / (stem + ".conll")))
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.docstart_check.toggled.connect(self._docstart_changed)
        self.which_combo.currentIndexChanged.connect(self._validate)
        self.path_edit.textChanged.connect(self._validate)
        self._format_changed()
        self._docstart_changed()

    # ---- reacting to choices

    def current_choice(self) -> str:
        """Return the key of the chosen entry of :data:`EXPORT_FORMATS` (``tsv`` is its own)."""
        return self.format_combo.currentData()

    def _takes_predictions(self) -> bool:
        """Whether the chosen format has a place for model suggestions (Label Studio, Prodigy JSONL)."""
        key = self.current_choice()
        return key == "labelstudio" or (key == "jsonl" and self.prodigy_radio.isChecked())

    def _style_changed(self) -> None:
        self.form.setRowVisible(self.predictions_check, self._takes_predictions())

    def _format_changed(self) -> None:
        key = self.current_choice()
        title, fmt, ext, _filter, _opts, hint = EXPORT_FORMATS[key]
        self.format_hint.setText(QtCore.QCoreApplication.translate("ExportDialog", hint))
        for name, rows in self._rows.items():
            for w in rows:
                self.form.setRowVisible(w, name == key)
        self._style_changed()
        self.form.setRowVisible(self.options_title, key in self._rows or key == "labelstudio")
        if key in self._rows or key == "labelstudio":
            self.options_title.setText(self.tr("{format} options").format(
                format=QtCore.QCoreApplication.translate("ExportDialog", title)))
        text = self.path_edit.text().strip()
        if text:
            p = Path(text)
            if key == "parquet":  # a folder: demo.conll -> demo-dataset
                if p.suffix.lower() in _EXPORT_SUFFIXES:
                    p = p.with_suffix("")
                if not p.name.endswith(DATASET_SUFFIX):
                    p = p.with_name(p.name + DATASET_SUFFIX)
                self.path_edit.setText(str(p))
                if self.which_combo.currentData() is None:
                    self.which_combo.setCurrentIndex(max(0, self.which_combo.findData("done")))
            elif p.suffix.lower() in _EXPORT_SUFFIXES or not p.suffix:
                if p.name.endswith(DATASET_SUFFIX):
                    p = p.with_name(p.name[:-len(DATASET_SUFFIX)])
                self.path_edit.setText(str(p.with_suffix(ext)))
        self._validate()
        if self.isVisible():
            self.adjustSize()

    def _docstart_changed(self) -> None:
        if self.docstart_check.isChecked() == self.docstart_auto:
            self.docstart_hint.setText(
                self.tr("Automatic: on, because some documents have several sentences.") if self.docstart_auto
                else self.tr("Automatic: off, because every document is a single sentence."))
        else:
            self.docstart_hint.setText(
                self.tr("Changed from the automatic choice (on, because some documents have several sentences).")
                if self.docstart_auto
                else self.tr("Changed from the automatic choice (off, because every document is a single sentence)."))

    def _validate(self) -> None:
        problem = ""
        text = self.path_edit.text().strip()
        status = self.which_combo.currentData()
        if self.project.count_documents(status=status) == 0:
            problem = {None: self.tr("The project has no documents to export."),
                       "done": self.tr("No document is marked done yet."),
                       "new": self.tr("No document is new.")}.get(status, self.tr("No documents to export."))
        elif not text:
            problem = self.tr("Choose where to save the file.")
        else:
            target = Path(text).expanduser()
            folder = target.parent
            if not folder.is_dir():
                problem = self.tr("The folder {folder} does not exist.").format(folder=folder)
            elif self.current_choice() == "parquet":
                if target.is_file():
                    problem = self.tr("A file has this name; the dataset needs a new folder.")
                elif target.is_dir() and any(target.iterdir()):
                    problem = self.tr("This folder is not empty; choose a new folder for the dataset.")
            elif target.is_dir():
                problem = self.tr("This is a folder; add a file name.")
        _set_message(self.message, problem)
        self.export_button.setEnabled(not problem)

    def browse(self) -> None:
        """Ask for the file name with the save dialog; the extension follows the format.
        For the Parquet dataset, ask for the folder to put the new dataset folder in."""
        _title, _fmt, ext, file_filter, _opts, _hint_text = EXPORT_FORMATS[self.current_choice()]
        if self.current_choice() == "parquet":
            current = Path(self.path_edit.text().strip() or "dataset")
            where = QtWidgets.QFileDialog.getExistingDirectory(
                self, self.tr("Put the dataset folder in"), str(current.parent))
            if where:
                self.path_edit.setText(str(Path(where) / current.name))
            return
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Export to"), self.path_edit.text().strip(),
            self.tr("{filter};;All files (*)").format(
                filter=QtCore.QCoreApplication.translate("ExportDialog", file_filter)),
        )
        if name:
            p = Path(name)
            self.path_edit.setText(str(p if p.suffix else p.with_suffix(ext)))

    def accept(self) -> None:
        """Ask before replacing an existing file, then close with Accepted."""
        path = self.target_path()
        if path.exists() and self.current_choice() != "parquet":  # a dataset goes to a new or empty folder
            answer = QtWidgets.QMessageBox.question(
                self, self.tr("Export"),
                self.tr("A file named {name} already exists in {folder}. Replace it?").format(
                    name=path.name, folder=path.parent),
                QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No, QtWidgets.QMessageBox.No,
            )
            if answer != QtWidgets.QMessageBox.Yes:
                return
        super().accept()

    # ---- result

    def target_path(self) -> Path:
        """Return the file to write: the typed path, with the format's extension if it has none."""
        ext = EXPORT_FORMATS[self.current_choice()][2]
        p = Path(self.path_edit.text().strip()).expanduser()
        return p if p.suffix or not ext else p.with_suffix(ext)

    def options(self) -> tuple[Path, str, dict]:
        """Return ``(path, fmt, kwargs)`` for ``export_file(project, path, fmt, **kwargs)``.

        ``kwargs`` holds ``status`` (``None``: all documents) and the writer options:
        ``scheme`` and ``docstart`` (``None`` while the checkbox shows the automatic
        choice) for CoNLL, ``style`` for JSONL, ``mode`` for text, ``delimiter`` for TSV.
        """
        key = self.current_choice()
        _title, fmt, _ext, _filter, base, _hint_text = EXPORT_FORMATS[key]
        kwargs: dict = {"status": self.which_combo.currentData(), **base}
        if key == "conll":
            kwargs["scheme"] = self.scheme_combo.currentData()
            checked = self.docstart_check.isChecked()
            kwargs["docstart"] = None if checked == self.docstart_auto else checked
        elif key == "jsonl":
            kwargs["style"] = ("doccano" if self.doccano_radio.isChecked() else
                               "spacy" if self.spacy_radio.isChecked() else "prodigy")
        elif key == "text":
            kwargs["mode"] = "paragraph" if self.paragraph_radio.isChecked() else "line"
        if self._takes_predictions() and self.predictions_check.isChecked():
            kwargs["predictions"] = True
        return self.target_path(), fmt, kwargs


# --------------------------------------------------------------------------- import result


class ImportResultDialog(QtWidgets.QDialog):
    """What an import did: the summary sentence and, when the reader repaired or set
    lines aside, each of them as ``file:line: what was done`` with where the report file is.

    Public widgets (for tests): ``summary_label``, ``notes_view`` (hidden without
    notes), ``conflicts_button`` (shown when conflicting copies were kept; accepting
    the dialog with it sets :attr:`show_conflicts`).
    """

    def __init__(self, summary, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import finished"))
        self.setMinimumWidth(640)
        self.summary = summary
        self.show_conflicts = False
        head = QtWidgets.QLabel(self.tr("{count} documents imported from {name}").format(
            count=f"{summary.added:,}", name=Path(summary.path).name))
        font = head.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        head.setFont(font)
        # the notes and where they are saved are said below, with the list
        text = engine_text(summary.message(notes=not (summary.notes and summary.report_path)))
        self.summary_label = QtWidgets.QLabel(text)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.notes_title = _section(
            self.tr("{count} line(s) repaired or set aside").format(count=f"{len(summary.notes):,}"))
        self.notes_view = QtWidgets.QPlainTextEdit("\n".join(engine_text(note) for note in summary.notes))
        self.notes_view.setReadOnly(True)
        self.notes_view.setLineWrapMode(QtWidgets.QPlainTextEdit.WidgetWidth)
        self.notes_view.setMinimumHeight(140)
        mono = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.FixedFont)
        self.notes_view.setFont(mono)
        self.report_hint = _hint(
            self.tr("This list is saved in {path}").format(path=summary.report_path) if summary.report_path else "")
        self.report_hint.setWordWrap(True)
        self.report_hint.setTextInteractionFlags(Qt.TextSelectableByMouse)
        for w in (self.notes_title, self.notes_view, self.report_hint):
            w.setVisible(bool(summary.notes))
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Ok)
        self.conflicts_button = buttons.addButton(self.tr("Show conflicts"), QtWidgets.QDialogButtonBox.ActionRole)
        self.conflicts_button.setToolTip(self.tr("List the documents whose text is in the project more than once "
                                                 "with different entities, to keep the right one"))
        self.conflicts_button.setVisible(summary.conflicts > 0)
        self.conflicts_button.clicked.connect(self._conflicts)
        buttons.accepted.connect(self.accept)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(8)
        lay.addWidget(head)
        lay.addWidget(self.summary_label)
        lay.addSpacing(6)
        lay.addWidget(self.notes_title)
        lay.addWidget(self.notes_view, 1)
        lay.addWidget(self.report_hint)
        lay.addSpacing(6)
        lay.addWidget(buttons)

    def _conflicts(self) -> None:
        self.show_conflicts = True
        self.accept()
