"""The one place Qt bindings are imported from (swap bindings here if ever needed)."""
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401
from PySide6.QtCore import Qt, Signal, Slot  # noqa: F401
