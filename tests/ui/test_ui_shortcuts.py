"""Every key of the main window does one thing: no two actions or buttons share a shortcut
(Qt would call it an "ambiguous shortcut overload" and do nothing)."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton


def _keys(window) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Each shortcut (portable text) → what it is bound to, over every action of the window
    and its menus, every QShortcut and every button."""
    bound: dict[str, list[str]] = defaultdict(list)
    actions = set(window.findChildren(QAction))
    for menu_action in window.menuBar().actions():
        if menu_action.menu() is not None:
            actions.update(menu_action.menu().actions())
    for action in actions:
        for key in action.shortcuts():
            bound[key.toString(QKeySequence.SequenceFormat.PortableText)].append(action.text())
    for shortcut in window.findChildren(QShortcut):
        bound[shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)].append(
            "QShortcut")
    for button in window.findChildren(QAbstractButton):
        key = button.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        if key and "&" not in button.text():  # a mnemonic (Alt+letter) is not a shortcut
            bound[key].append(button.text() or button.objectName())
    bound.pop("", None)
    return bound


def test_no_two_actions_share_a_shortcut(window):
    shared = {key: what for key, what in _keys(window).items() if len(what) > 1}
    assert shared == {}


def test_f5_plans_and_ctrl_r_reads_again(window):
    keys = _keys(window)
    assert keys["F5"] == ["Planera år"]
    assert keys["Ctrl+R"] == ["Läs in igen"]
    assert "F5" in window.plan_view.plan_button.text()


def test_the_check_sees_a_shared_key(window):
    """The check itself: a second action on F5 is found."""
    window.addAction(QAction("Dubbel", window, shortcut=QKeySequence("F5")))
    assert sorted(_keys(window)["F5"]) == ["Dubbel", "Planera år"]
