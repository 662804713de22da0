"""Messages for the user that the interface can show in the user's language.

The engine never imports Qt, so it cannot translate; it writes each message for the
user as :func:`msg` (``msg("Cannot read {path}: the file is empty.", path=p)``), which
returns a :class:`Message`: the English text (a ``str``, so logs, the CLI and tests see
plain English) that also keeps its template and arguments. The GUI looks the template
up in its catalogue (Qt context ``"engine"``; ``gui.i18n.engine_text``) and fills in the
same arguments. ``gui/i18n/catalogue.py`` collects every ``msg("...")`` template of
engine/ into the translation file, and ``tests/gui/test_i18n.py`` fails when one is not
translated. Templates use ``str.format`` fields with names (``{path}``), never
positional ones, so a translation may put them in another order.
"""
from __future__ import annotations

#: the Qt translation context of engine messages
CONTEXT = "engine"


class Message(str):
    """English text that remembers the template and arguments it was made from.

    Attributes:
        template: the English template (the catalogue's key).
        args: the values of its fields; a value may itself be a :class:`Message`.
    """

    template: str
    args: dict

    def __new__(cls, template: str, args: dict):
        self = super().__new__(cls, template.format(**args))
        self.template = template
        self.args = dict(args)
        return self

    def __reduce__(self):  # survive pickling (worker processes) as a Message
        return (Message, (self.template, self.args))


def msg(template: str, /, **args) -> Message:
    """Return ``template`` filled with ``args`` as a :class:`Message`.

    Raises:
        KeyError: when the template names a field not given (a programming error).
    """
    return Message(template, args)


def render(text, translate) -> str:
    """Return ``text`` in the user's language.

    ``translate(template) -> str`` looks a template up (the GUI passes Qt's translator);
    a plain ``str`` comes back unchanged, a :class:`Message` is rebuilt from its
    translated template with its arguments rendered the same way. A translation whose
    fields do not match the template's falls back to the English text."""
    if not isinstance(text, Message):
        return str(text)
    args = {k: render(v, translate) for k, v in text.args.items()}
    try:
        return translate(text.template).format(**args)
    except (KeyError, IndexError, ValueError):
        return text.template.format(**args)
