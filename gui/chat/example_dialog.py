"""The "Save as training example" dialog: correct a reply into the answer you wanted.

It shows the conversation up to the reply (read-only) and the reply in an editable
box. :meth:`ExampleDialog.messages` returns the example to store: the system
prompt (if any), the turns before the reply, and the corrected answer.
"""
from __future__ import annotations

import html

from gui.qt import QtCore, QtGui, QtWidgets, Qt

EXPLAIN = QtCore.QT_TRANSLATE_NOOP(
    "ExampleDialog",
    "Fine-tuning teaches the model to answer like this. Edit the reply below into the answer you "
    "wanted; the conversation above it is kept as the question."
)


def context_html(messages: list[dict]) -> str:
    """The turns before the answer as short rich text (role in bold, text as typed)."""
    names = {"system": QtCore.QCoreApplication.translate("ExampleDialog", "System prompt"),
             "user": QtCore.QCoreApplication.translate("ExampleDialog", "You"),
             "assistant": QtCore.QCoreApplication.translate("ExampleDialog", "Model")}
    out = []
    for m in messages:
        text = html.escape(m["content"]).replace("\n", "<br>")
        role = html.escape(names.get(m["role"], m["role"]))
        out.append(QtCore.QCoreApplication.translate("ExampleDialog", "<p><b>{role}:</b> {text}</p>").format(
            role=role, text=text))
    return "".join(out)


class ExampleDialog(QtWidgets.QDialog):
    """Edit ``answer`` and confirm; ``context`` is the system prompt and turns before it."""

    def __init__(self, context: list[dict], answer: str, count: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Save as training example"))
        self.setMinimumSize(520, 460)
        self.context = [dict(role=m["role"], content=m["content"]) for m in context]
        explain = QtWidgets.QLabel(QtCore.QCoreApplication.translate("ExampleDialog", EXPLAIN))
        explain.setWordWrap(True)
        self.preview = QtWidgets.QTextBrowser()
        self.preview.setHtml(context_html(self.context))
        self.preview.setMaximumHeight(160)
        self.answer = QtWidgets.QPlainTextEdit(answer)
        self.answer.setTabChangesFocus(True)
        self.answer.setToolTip(self.tr("The answer the model should learn to give (Markdown is fine)"))
        self.count_label = QtWidgets.QLabel(
            self.tr("This project has 1 training example so far.") if count == 1
            else self.tr("This project has {n} training examples so far.").format(n=f"{count:,}"))
        self.count_label.setForegroundRole(QtGui.QPalette.PlaceholderText)
        self.buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Cancel)
        self.save_button = self.buttons.addButton(self.tr("Save example"), QtWidgets.QDialogButtonBox.AcceptRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.answer.textChanged.connect(lambda: self.save_button.setEnabled(bool(self.answer_text())))
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(explain)
        q = QtWidgets.QLabel(self.tr("Conversation"))
        a = QtWidgets.QLabel(self.tr("Answer the model should give"))
        f = q.font()
        f.setBold(True)
        q.setFont(f)
        a.setFont(f)
        lay.addWidget(q)
        lay.addWidget(self.preview)
        lay.addWidget(a)
        lay.addWidget(self.answer, 1)
        lay.addWidget(self.count_label)
        lay.addWidget(self.buttons)
        self.answer.setFocus(Qt.OtherFocusReason)

    def answer_text(self) -> str:
        return self.answer.toPlainText().strip()

    def messages(self) -> list[dict]:
        """The example: the context followed by the (edited) answer."""
        return [*self.context, {"role": "assistant", "content": self.answer_text()}]
