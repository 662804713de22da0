"""Suggestions in the window (offscreen): A accepts, X rejects, Shift+A accepts all,
Tab moves, undo of each, the threshold hides low scores, Done drops what nobody
accepted; the background worker with a trained tagger; the review dialog; and a
scripted session counting key presses per entity with suggestions against by hand."""
from __future__ import annotations

import os
import shutil

import pytest

pytest.importorskip("pytestqt")

from engine.store import Project  # noqa: E402
from gui.qt import Qt  # noqa: E402


def model_spans(p, doc_id):
    return [s for s in p.spans(doc_id) if s.source == "model"]


def human_spans(p, doc_id):
    return [(s.start, s.end, s.label_id) for s in p.spans(doc_id) if s.source == "human"]


@pytest.fixture
def loop_copy(loop_tagger, tmp_path):
    """A copy of the loop project (runs folder linked) with the auto-suggest setting off."""
    from gui.main_window import settings

    settings().setValue("suggestions/auto", False)
    path = tmp_path / loop_tagger["path"].name
    shutil.copy(loop_tagger["path"], path)
    path.with_suffix(".runs").symlink_to(loop_tagger["path"].with_suffix(".runs"), target_is_directory=True)
    yield path
    settings().remove("suggestions/auto")


@pytest.fixture
def window(qtbot, loop_copy):
    from gui.main_window import MainWindow

    win = MainWindow(loop_copy)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def press(qtbot, win, k, mods=Qt.NoModifier):
    win.editor.setFocus()
    qtbot.keyClick(win.editor, k, mods)


def with_suggestions(win, doc_id, items):
    """Store suggestions directly (as a model would) and show the document."""
    win.project.replace_suggestions(doc_id, 1, items)
    win.doc_panel.select_doc(doc_id)
    win.editor.refresh()


def test_accept_reject_accept_all_and_undo(qtbot, window):
    win = window
    p = win.project
    doc = p.document(301)
    lab = p.labels()[0].id
    items = [(doc.tokens[i][0], doc.tokens[i][1], lab, sc) for i, sc in ((0, 0.9), (2, 0.8), (4, 0.3), (6, 0.7))]
    with_suggestions(win, 301, items)
    assert len(win.editor.suggestions()) == 4
    # the threshold hides low-scored ones
    win.suggestion_bar.slider.setValue(50)
    assert len(win.editor.suggestions()) == 3
    win.suggestion_bar.slider.setValue(0)
    # A accepts the first, then the next is selected
    press(qtbot, win, Qt.Key_A)
    assert human_spans(p, 301) == [items[0][:3]] and len(model_spans(p, 301)) == 3
    assert win.editor.selected_span().start == items[1][0]
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    assert human_spans(p, 301) == [] and len(model_spans(p, 301)) == 4
    # X rejects the selected one: gone, remembered; undo brings it back
    win.editor.select_span(model_spans(p, 301)[1].id)
    press(qtbot, win, Qt.Key_X)
    assert len(model_spans(p, 301)) == 3 and [f.answer for f in p.feedback(301)] == ["reject"]
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    assert len(model_spans(p, 301)) == 4 and p.feedback(301) == []
    # Tab walks the suggestions, Shift+Tab back
    win.editor.select_span(None)
    press(qtbot, win, Qt.Key_Tab)
    first = win.editor.selected_span()
    press(qtbot, win, Qt.Key_Tab)
    second = win.editor.selected_span()
    order = [s.id for s in win.editor.suggestions()]
    assert second.id == order[(order.index(first.id) + 1) % len(order)]  # the next one, wrapping around
    press(qtbot, win, Qt.Key_Backtab)
    assert win.editor.selected_span().id == first.id
    # Shift+A accepts all shown; one undo step
    press(qtbot, win, Qt.Key_A, Qt.ShiftModifier)
    assert len(human_spans(p, 301)) == 4 and model_spans(p, 301) == []
    press(qtbot, win, Qt.Key_Z, Qt.ControlModifier)
    assert human_spans(p, 301) == [] and len(model_spans(p, 301)) == 4
    # labeling over a suggestion replaces it
    win.editor.apply_label(2, 3, p.labels()[1].id)
    assert [(s.token_start, s.source) for s in p.spans(301) if s.token_start == 2] == [(2, "human")]
    # done keeps only human entities; undo puts the suggestions back
    win.done_and_next()
    assert model_spans(p, 301) == [] and p.document(301).status == "done"
    assert p.stats().spans_by_label  # counted: the one labeled by hand
    win.undo_stack.undo()
    assert len(model_spans(p, 301)) == 3 and p.document(301).status == "new"


def test_background_suggestions_from_the_latest_run(qtbot, window, loop_tagger):
    win = window
    bar = win.suggestion_bar
    win.doc_panel.select_doc(305)
    with qtbot.waitSignal(bar.service.finished, timeout=120_000):
        assert bar.use_latest()
    assert bar.model_button.text().startswith("Suggestions: Run 1")
    p = win.project
    scored = p.uncertainty()
    assert set(range(301, 381)) <= set(scored)
    assert sum(len(model_spans(p, d)) for d in range(301, 381)) > 10
    assert all(s.run_id == loop_tagger["run"].run_id for d in range(301, 381) for s in model_spans(p, d))
    assert not win.doc_panel.table.isColumnHidden(4)  # the Unsure column appears
    # least sure first: the list and Done && next follow the uncertainty
    win.doc_panel.set_order("uncertainty")
    top = max((d for d in range(301, 381)), key=lambda d: scored[d])
    assert win.doc_panel.model.doc_id(0) == top
    win.doc_panel.select_doc(top)
    win.done_and_next()
    nxt = win.editor.document_id()
    assert nxt != top and scored[nxt] >= sorted(scored[d] for d in range(301, 381))[-12]
    qtbot.waitUntil(lambda: not win.suggestion_bar.progress_action.isVisible(), timeout=3000)
    win.grab().save(str(loop_tagger["path"].parent / "suggestions_window.png"))


def test_review_dialog_takes_the_models_version(qtbot, window):
    from gui.review import ReviewDialog

    win = window
    p = win.project
    labels = {l.name: l.id for l in p.labels()}
    # plant: a person becomes a location in a finished document
    doc = next(d for d in range(1, 301) if any(s.label_id == labels["person"] for s in p.spans(d)))
    sp = next(s for s in p.spans(doc) if s.label_id == labels["person"])
    p.add_span(doc, sp.start, sp.end, labels["location"])
    assert win.suggestion_bar.use_latest()
    dialog = ReviewDialog(p, win.suggestion_bar.service, win.undo_stack, win._on_review_edit, win, min_confidence=0.0)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.mistakes) or "No likely" in dialog.status.text(), timeout=120_000)
    rows = [(m.doc_id, m.start) for m in dialog.mistakes]
    assert (doc, sp.start) in rows
    dialog.table.selectRow(rows.index((doc, sp.start)))
    m = dialog.current()
    before = len(dialog.mistakes)
    qtbot.keyClick(dialog, Qt.Key_M)
    assert len(dialog.mistakes) == before - 1
    got = [s for s in p.spans(doc) if s.start == sp.start]
    assert got and got[0].label_id == labels[m.model_label]
    win.undo_stack.undo()
    assert [s.label_id for s in p.spans(doc) if s.start == sp.start] == [labels["location"]]
    qtbot.keyClick(dialog, Qt.Key_K)
    assert dialog.kept == 1
    dialog.grab().save(str(p.path.parent / "review_dialog.png"))
    dialog.reject()


def test_key_presses_per_entity_with_suggestions_and_by_hand(qtbot, window, loop_tagger, tmp_path):
    """20 new documents labeled to their gold entities twice: by hand (select the words,
    press the label key) and by going through the suggestions (A accepts, X rejects, a
    label key fixes the label, the rest by hand). Both end with exactly the gold
    entities; the key presses and clicks per entity are compared."""
    from engine.importer import import_file
    from tests.conftest import DATA
    from tests.test_ner_data import conll_slice

    win = window
    p = win.project
    names = {l.name: l.id for l in p.labels()}
    hotkeys = {l.id: l.hotkey for l in p.labels()}
    # the gold entities of the loop project's new documents: the same slice imported again
    with Project.create(tmp_path / "gold.tessera") as g:
        import_file(g, conll_slice(DATA / "train.conll", tmp_path / "train.conll", 380), status="done")
        gnames = {l.id: l.name for l in g.labels()}
        golds = {d: [(s.token_start, s.token_end, names[gnames[s.label_id]]) for s in g.spans(d)]
                 for d in range(301, 321)}
        assert all(g.document(d).text == p.document(d).text for d in golds)

    def label_words(a, b, lab) -> int:
        """What a person does: the label's key, then a click (one word) or a drag (several)."""
        win.editor.setFocus()
        win.editor.set_active_label(lab)  # the label key, or a click on its chip
        at = lambda t: win.editor.token_rect(t).center().toPoint()  # noqa: E731
        win.scroll.ensureVisible(at(a).x(), at(a).y())
        qtbot.mousePress(win.editor, Qt.LeftButton, pos=at(a))
        if b - a > 1:
            qtbot.mouseMove(win.editor, at(b - 1))
            qtbot.mouseMove(win.editor, at(b - 1))
        qtbot.mouseRelease(win.editor, Qt.LeftButton, pos=at(b - 1))
        return 2

    def by_hand(doc_id, gold) -> int:
        return sum(label_words(a, b, lab) for a, b, lab in gold)

    def with_model(doc_id, gold) -> int:
        """Going through the suggestions: A accepts a right one (and moves to the next), a
        label key fixes a wrong label, Tab skips a wrong one; once no right one is left,
        Done drops the rest. Entities the model missed are labeled by hand."""
        presses = 0
        want = {(a, b): lab for a, b, lab in gold}
        win.editor.select_span(None)
        win.editor.set_cursor(0, 1)
        while True:
            useful = [s for s in win.editor.suggestions() if (s.token_start, s.token_end) in want]
            if not useful:
                break  # the rest are wrong: Done drops them
            sel = win.editor.selected_span()
            if sel is None or sel.source != "model":
                nxt = next((s for s in win.editor.suggestions() if s.token_start >= (sel.token_end if sel else 0)),
                           None)
                if nxt is not None and (nxt.token_start, nxt.token_end) in want and want[
                        (nxt.token_start, nxt.token_end)] == nxt.label_id:
                    press(qtbot, win, Qt.Key_A)  # A takes the next suggestion after the cursor
                else:
                    press(qtbot, win, Qt.Key_Tab)
                presses += 1
                continue
            key = (sel.token_start, sel.token_end)
            if want.get(key) == sel.label_id:
                press(qtbot, win, Qt.Key_A)
            elif key in want:  # right words, wrong label: the label's key relabels it
                press(qtbot, win, getattr(Qt, f"Key_{hotkeys[want[key]].upper()}"))
            else:
                press(qtbot, win, Qt.Key_Tab)
            presses += 1
        have = {(s.token_start, s.token_end): s.label_id for s in p.spans(doc_id) if s.source == "human"}
        for (a, b), lab in want.items():
            if have.get((a, b)) != lab:
                presses += label_words(a, b, lab)
        win.project.drop_suggestions(doc_id)  # what Done does with the rest
        return presses

    from engine.loop.suggest import suggest

    docs = list(range(301, 321))
    # TESSERA_KEYPRESS_TAGGER: another tagger folder for the same session (README's figure
    # comes from one trained on other WNUT-17 sentences; tests/bench/keypress_tagger.py)
    stronger = os.environ.get("TESSERA_KEYPRESS_TAGGER")
    if stronger:
        from engine.ner.predict import load_tagger

        suggest(p, load_tagger(stronger, device="cpu"), run_id=None, doc_ids=docs)
    else:
        suggest(p, loop_tagger["tagger"], run_id=loop_tagger["run"].run_id, doc_ids=docs)
    hand = model = entities = 0
    for doc_id in docs:
        gold = golds[doc_id]
        entities += len(gold)
        win.doc_panel.select_doc(doc_id)
        win.editor.refresh()
        model += with_model(doc_id, gold)
        got = sorted((s.token_start, s.token_end, s.label_id) for s in p.spans(doc_id) if s.source == "human")
        assert got == sorted(gold), doc_id
        # the same document by hand: clear it, label again
        for s in p.spans(doc_id):
            p.remove_span(s.id)
        win.editor.refresh()
        hand += by_hand(doc_id, gold)
        got = sorted((s.token_start, s.token_end, s.label_id) for s in p.spans(doc_id) if s.source == "human")
        assert got == sorted(gold), doc_id
    assert entities > 5
    ratio = model / hand
    print(f"\n20 WNUT-17 documents, {entities} entities: by hand {hand} presses ({hand / entities:.2f} per entity), "
          f"with suggestions {model} ({model / entities:.2f} per entity): ratio {ratio:.2f}")
    assert model > 0 and hand == 2 * entities


def test_retrain_every_n_done_then_suggest_with_the_new_run(qtbot, window, loop_tagger, monkeypatch):
    """Retrain in the loop: after N more documents are done the training panel starts a
    run (one at a time: not while another runs); when a tagger run finishes, suggestions
    switch to it."""
    win = window
    bar = win.suggestion_bar
    panel = win.training_dock.widget()
    started = []
    monkeypatch.setattr(panel, "start", lambda base_model=None: started.append((panel.task_kind(), base_model))
                        or True)
    bar.retrain_box.setValue(2)
    win.doc_panel.select_doc(301)
    win.done_and_next()
    assert started == []
    win.done_and_next()
    # a warm start from the model that suggests now (none here: the form's base model)
    assert started == [("ner", str(bar.service.folder) if bar.service.folder else None)]
    assert bar.done_since_training == 0
    monkeypatch.setattr(panel, "is_running", lambda: True)
    win.done_and_next()
    win.done_and_next()
    assert len(started) == 1  # never a second training at once
    with qtbot.waitSignal(bar.service.modelChanged, timeout=10_000):
        panel.runFinished.emit(loop_tagger["run"].run_id)
    assert bar.service.run_id == loop_tagger["run"].run_id and bar.service.active()
    bar.retrain_box.setValue(0)
    bar.shutdown()
