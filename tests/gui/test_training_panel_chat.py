"""The training panel fine-tuning the chat model (offscreen).

Widget tests feed the panel events shaped like ``engine.chat.sft`` reports them
(``Progress("Training", step, total, "steps")``, ``Metric("train/loss"|"dev/loss", ...)``)
and write ``runs`` rows of kind ``chat`` with SQL; worker tests run fake engine
functions through the real worker thread. ``test_real_chat_run_stop_resume_and_try``
fine-tunes the default chat model for a few steps through the Start, Stop and Resume
buttons (slow).
"""
from __future__ import annotations

import json
import math
import threading
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from engine.chat.examples import add_examples  # noqa: E402
from engine.events import Log, Metric, Progress  # noqa: E402
from engine.ner.runs import run_folder as resolve_run_folder  # noqa: E402
from engine.store import Project, now  # noqa: E402
from gui.qt import QtWidgets, Qt  # noqa: E402
from gui.training import TrainingPanel  # noqa: E402
from gui.training.history import COL_BEST, COL_KIND, COL_STATUS, COL_STEPS  # noqa: E402
from gui.training.live import ema  # noqa: E402

DOLLY = Path(__file__).resolve().parents[1] / "data" / "chat" / "dolly_open_qa_200.jsonl"


# --------------------------------------------------------------------------- helpers


def dolly_examples(n: int, max_chars: int = 400) -> list[list[dict]]:
    """The first ``n`` short Dolly open-QA pairs as chat examples."""
    out = []
    for line in DOLLY.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        human, _, assistant = text.partition("### Assistant:")
        q, a = human.replace("### Human:", "").strip(), assistant.strip()
        if q and a and len(q) + len(a) <= max_chars:
            out.append([{"role": "user", "content": q}, {"role": "assistant", "content": a}])
        if len(out) == n:
            break
    return out


def chat_events(steps: int = 30, total: int = 60, eval_every: int = 10, dev=None):
    """Events in the order and shape ``engine.chat.sft`` reports them (contract: Metric names
    like the tagger's, ``dev/loss`` the only dev score)."""
    dev = dev or (lambda s: 2.5 - s / 40)
    out = [Metric("dev/loss", dev(0), 0, 0.0), Log(f"Dev loss before training: {dev(0):.4f}."),
           Progress("Training", 0, total, "steps")]
    for s in range(1, steps + 1):
        ep = s / 20
        out.append(Metric("train/loss", 2.8 * math.exp(-s / 25) + 0.6 + 0.1 * (s % 2), s, ep))
        out.append(Metric("train/lr", 2e-4, s, ep))
        if s % 5 == 0:
            out.append(Metric("train/tokens_per_s", 900.0 + s, s, ep))
            out.append(Metric("mem/rss_mb", 1800.0 + s, s, ep))
        out.append(Progress("Training", s, total, "steps"))
        if s % eval_every == 0:
            out.append(Metric("dev/loss", dev(s), s, ep))
            out.append(Log(f"Step {s}: dev loss {dev(s):.3f}"))
    return out


def metric_rows(events) -> list[tuple]:
    return [(e.step, e.epoch, e.name, e.value) for e in events if isinstance(e, Metric)]


def add_run(p: Project, *, kind="chat", status="finished", metrics=(), best=None, config=None,
            base_model="default") -> int:
    cur = p.conn.execute(
        "INSERT INTO runs(kind, base_model, config, status, output_dir, best_metric, started, finished)"
        " VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
        (kind, base_model, json.dumps(config or {"seed": 0, "lr": 2e-4, "lora_r": 8}), status, best, now(), now()),
    )
    rid = cur.lastrowid
    p.conn.executemany(
        "INSERT INTO run_metrics(run_id, step, epoch, name, value, time) VALUES (?, ?, ?, ?, ?, ?)",
        [(rid, s, e, n, v, now()) for s, e, n, v in metrics],
    )
    return rid


def chat_run_folder(p: Project, rid: int, *, best=True, last=True) -> Path:
    """A run folder shaped like the contract's (``best/`` adapter, ``last/`` with trainer state)."""
    out = p.runs_dir / str(rid)
    if best:
        (out / "best").mkdir(parents=True)
        (out / "best" / "adapter_config.json").write_text("{}")
    if last:
        (out / "last").mkdir(parents=True)
        (out / "last" / "trainer_state.json").write_text("{}")
    out.mkdir(parents=True, exist_ok=True)
    p.conn.execute("UPDATE runs SET output_dir=? WHERE id=?", (str(out), rid))
    return out


def cells(panel, row: int) -> list[str]:
    t = panel.history.table
    return [t.item(row, c).text() for c in range(t.columnCount())]


def curve_data(plot, key):
    x, y = plot.curves[key].getData()
    return list(x), list(y)


@pytest.fixture
def panel(qtbot, project):
    w = TrainingPanel(project.path)
    qtbot.addWidget(w)
    w.resize(1200, 760)
    w.show()
    yield w
    w.shutdown()


# --------------------------------------------------------------------------- form


def test_task_choice_switches_to_the_chat_form(panel, project):
    assert panel.task_kind() == "ner" and panel.form.isVisible() and not panel.chat_form.isVisible()
    panel.set_task("chat")
    assert panel.task.currentText() == "Chat model (LoRA)"
    assert panel.chat_form.isVisible() and not panel.form.isVisible()
    assert panel.config_kwargs() == {"base_model": "default", "epochs": None, "max_steps": None, "lr": None,
                                     "batch_size": None, "lora_r": 16, "max_length": 512, "patience": 3, "seed": 0}
    assert panel.chat_form.model_picker.itemText(0) == "Default chat model (SmolLM2-135M)"
    f = panel.chat_form
    f.epochs.setValue(2)
    f.max_steps.setValue(40)
    f.lr.setEditText("3e-4")
    f.batch_size.setValue(4)
    f.lora_r.setValue(8)
    f.max_length.setValue(256)
    f.patience.setValue(5)
    f.seed.setValue(9)
    kw = panel.config_kwargs()
    assert kw == {"base_model": "default", "epochs": 2, "max_steps": 40, "lr": 3e-4, "batch_size": 4,
                  "lora_r": 8, "max_length": 256, "patience": 5, "seed": 9}
    f.set_config({"lora_r": 32, "lr": None, "unknown": 1})
    assert panel.config_kwargs()["lora_r"] == 32 and panel.config_kwargs()["lr"] is None
    panel.set_task("ner")
    assert panel.form.isVisible() and "bf16" in panel.config_kwargs()


def test_chat_form_values_build_an_sft_config(panel):
    sft = pytest.importorskip("engine.chat.sft")
    from gui.training.form import make_sft_config

    panel.set_task("chat")
    default = make_sft_config(panel.config_kwargs())
    assert isinstance(default, sft.SftConfig)
    for k, v in panel.config_kwargs().items():
        assert getattr(default, k) == getattr(sft.SftConfig(), k) == v, k
    panel.chat_form.lora_r.setValue(4)
    panel.chat_form.max_steps.setValue(7)
    cfg = make_sft_config(panel.config_kwargs())
    assert (cfg.lora_r, cfg.max_steps) == (4, 7)


def test_every_chat_setting_has_a_plain_tooltip(panel):
    for w in panel.chat_form.fields():
        tip = w.toolTip()
        assert len(tip) > 60 and "\n" in tip, w  # what it does, then when to change it
    assert panel.chat_form.lora_r.toolTip().startswith("How many new numbers the fine-tune may learn per layer")


def test_bad_chat_learning_rate_blocks_start(panel, project):
    add_examples(project, dolly_examples(3))
    panel.set_task("chat")
    assert panel.start_button.isEnabled()
    panel.chat_form.lr.setEditText("quick")
    assert not panel.start_button.isEnabled()
    assert panel.start() is False and "2e-4" in panel.message.text()


def test_no_chat_examples_disables_start_with_a_hint(panel, project):
    panel.set_task("chat")
    assert not panel.start_button.isEnabled()
    hint = panel.data_label.text()
    assert "Import chat examples" in hint and "save replies from the chat pane" in hint
    assert panel.start() is False and "Import chat examples" in panel.message.text()
    assert project.conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
    add_examples(project, dolly_examples(3))
    add_examples(project, dolly_examples(5)[3:], split="dev")
    panel.update_data_summary()  # the main window calls this when examples were imported
    assert panel.start_button.isEnabled()
    assert panel.data_label.text().startswith("5 chat examples.") and "2 dev" in panel.data_label.text()
    panel.set_task("ner")  # the tagger counts documents, and needs none to press Start
    assert "finished documents" in panel.data_label.text() and panel.start_button.isEnabled()


def test_the_chosen_task_survives_a_refresh(qtbot, project):
    """Choosing "Chat model" in a project with only tagger runs shows no run; re-reading the
    history (after an import, say) must not switch back to the tagger."""
    tagger = add_run(project, kind="ner", best=0.5)
    panel = TrainingPanel(project.path)
    qtbot.addWidget(panel)
    assert panel.task_kind() == "ner" and panel.history.current_run_id() == tagger
    panel.set_task("chat")
    assert panel.history.current_run_id() is None and panel.data is None
    add_examples(project, dolly_examples(2))
    panel.refresh()
    assert panel.task_kind() == "chat" and panel.history.current_run_id() is None
    assert panel.start_button.isEnabled()


def test_gui_training_imports_no_torch_and_no_chat_trainer():
    import subprocess
    import sys

    code = ("import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen'; import gui.training, gui.training.panel; "
            "bad=[m for m in sys.modules if m in ('torch', 'transformers', 'peft', 'engine.chat.sft', "
            "'engine.chat.model', 'engine.chat.generate')]; print(bad); sys.exit(1 if bad else 0)")
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# --------------------------------------------------------------------------- live view


def test_chat_events_show_loss_and_dev_loss_instead_of_f1(panel):
    """Lower is better: the best evaluation is the LOWEST dev loss, not the highest."""
    losses = {0: 2.6, 10: 2.1, 20: 1.6, 30: 1.8}
    panel.set_task("chat")
    panel._set_view_kind("chat")
    from gui.training.live import RunData

    panel.data = RunData()
    panel.plots.set_data(panel.data)
    events = chat_events(steps=30, total=60, dev=lambda s: losses[s])
    for e in events:
        panel.handle_event(e)
    panel._tick(force=True)
    train = [e.value for e in events if isinstance(e, Metric) and e.name == "train/loss"]
    assert curve_data(panel.plots.loss, "train_raw") == (list(range(1, 31)), pytest.approx(train))
    assert curve_data(panel.plots.loss, "train_ema")[1] == pytest.approx(ema(train))
    assert curve_data(panel.plots.loss, "dev_loss") == ([0, 10, 20, 30], [2.6, 2.1, 1.6, 1.8])
    assert not panel.plots.f1.isVisible() and not panel.plots.f1.curves  # no F1 for a chat run
    i = panel.tabs.indexOf(panel.eval_stack)
    assert panel.tabs.tabText(i) == "Dev loss" and panel.eval_stack.currentWidget().isAncestorOf(panel.chat_eval)
    view = panel.chat_eval
    assert view.best.step == 20 and view.latest.step == 30
    summary = view.summary.text()
    assert "dev loss 1.600 (perplexity 4.95) at step 20" in summary and "Lower is better" in summary
    assert "Down 1.000 from before training" in summary
    t = view.table
    assert [t.cell_text(r, 0) for r in range(t.rowCount())] == ["30", "20", "10", "0"]  # newest first
    assert [t.cell_text(1, c) for c in range(4)] == ["20", "1.00", "1.600", f"{math.exp(1.6):.2f}"]
    assert t.item(1, 0).font().bold() and not t.item(0, 0).font().bold()
    assert t.cell_text(1, 4).startswith("best") and t.cell_text(3, 4) == "before training"
    stats = panel.stats_text()
    for part in ("30 steps", "epoch 1.50", "930 tokens/s", "RAM 1.8 GB"):
        assert part in stats, (part, stats)
    assert panel.log_view.toPlainText().count("dev loss") == 3


def test_best_chat_evaluation_is_the_lowest_trained_one():
    """The engine keeps the lowest dev loss after training started; the score before
    training (step 0) is never the saved model, even when training made it worse."""
    from gui.training.live import RunData

    d = RunData()
    for step, loss in ((0, 1.5), (10, 1.9), (20, 1.7), (30, 1.7), (40, float("nan"))):
        d.add_metric("dev/loss", loss, step)
    assert d.best_loss_evaluation().step == 20  # lowest, the earliest of equals
    assert d.best_evaluation() is None  # the tagger's rule (F1) finds nothing here
    d2 = RunData()
    d2.add_metric("dev/loss", 2.0, 0)
    assert d2.best_loss_evaluation() is None


# --------------------------------------------------------------------------- history


def test_history_shows_both_kinds_and_follows_the_selected_run(qtbot, project):
    ner_events = [Metric("train/loss", 1.0 / s, s, s / 50) for s in range(1, 21)] + [Metric("dev/f1", 0.61, 20, 0.4)]
    tagger = add_run(project, kind="ner", best=0.61, metrics=metric_rows(ner_events), config={"seed": 0})
    chat = add_run(project, best=1.92, metrics=metric_rows(chat_events(steps=30, dev=lambda s: 2.2 - s / 100)))
    panel = TrainingPanel(project.path)
    qtbot.addWidget(panel)
    panel.resize(1200, 760)
    panel.show()
    assert [r.id for r in panel.history.runs] == [chat, tagger]
    assert cells(panel, 0)[COL_KIND] == "Chat" and cells(panel, 1)[COL_KIND] == "Tagger"
    assert cells(panel, 0)[COL_BEST] == "dev loss 1.920" and cells(panel, 1)[COL_BEST] == "F1 0.610"
    assert cells(panel, 0)[COL_STEPS] == "30" and "rank 8" in cells(panel, 0)[4]
    assert cells(panel, 0)[3] == "Default (SmolLM2)"
    # the newest run (chat) is selected: the panel shows it the chat way
    assert panel.history.current_run_id() == chat
    assert panel.task_kind() == "chat" and panel.view_kind == "chat" and not panel.plots.f1.isVisible()
    assert panel.chat_eval.best.step == 30
    assert "Default (SmolLM2) + LoRA" in panel.stats_text()
    panel.history.select_run(tagger)
    assert panel.task_kind() == "ner" and panel.plots.f1.isVisible() and "f1" in panel.plots.f1.curves
    assert panel.tabs.tabText(panel.tabs.indexOf(panel.eval_stack)) == "Per label"
    # switching the task shows the newest run of that kind
    panel.set_task("chat")
    assert panel.history.current_run_id() == chat
    # compare across kinds: both smoothed train losses on the loss plot
    panel.history.set_checked(tagger)
    panel.history.set_checked(chat)
    assert {k for k in panel.plots.loss.curves if k.startswith("run:")} == {f"run:{tagger}", f"run:{chat}"}
    assert {k for k in panel.plots.f1.curves if k.startswith("run:")} == {f"run:{tagger}"}  # only the tagger has F1
    x, _y = curve_data(panel.plots.loss, f"run:{chat}")
    assert x == list(range(1, 31))


def test_chat_report_lists_dev_losses_with_the_lowest_as_best(qtbot, project):
    losses = {0: 2.3, 10: 2.0, 20: 1.7, 30: 1.9}
    rid = add_run(project, best=1.7, metrics=metric_rows(chat_events(steps=30, dev=lambda s: losses[s])),
                  config={"lr": 2e-4, "lora_r": 8, "max_length": 256, "seed": 1})
    panel = TrainingPanel(project.path)
    qtbot.addWidget(panel)
    panel.history.select_run(rid)
    panel.history.report_button.click()
    dlg = panel._report_dialog
    assert dlg.isVisible() and dlg.best.step == 20
    assert "dev loss <b>1.700</b>" in dlg.head.text() and "lower is better" in dlg.head.text()
    assert [dlg.table.cell_text(r, 2) for r in range(dlg.table.rowCount())] == ["1.900", "1.700", "2.000", "2.300"]
    text = dlg.as_text()
    assert "lora_r: 8" in text and "best step 20, dev loss 1.700 (lower is better)" in text
    assert "20\t1.00\t1.700\t5.47" in text and "0\t0.00\t2.300" in text
    dlg.close()


def test_delete_a_chat_run(qtbot, project, monkeypatch):
    keep = add_run(project, kind="ner", best=0.5)
    gone = add_run(project, best=1.9, metrics=metric_rows(chat_events(steps=10)))
    folder = chat_run_folder(project, gone)
    panel = TrainingPanel(project.path)
    qtbot.addWidget(panel)
    panel.history.select_run(gone)
    assert panel.chat_try.adapter == str(folder / "best")
    monkeypatch.setattr(panel, "confirm_delete", lambda run: True)
    panel.history.delete_button.click()
    assert [r.id for r in panel.history.runs] == [keep] and not folder.exists()
    assert project.conn.execute("SELECT COUNT(*) FROM run_metrics WHERE run_id=?", (gone,)).fetchone()[0] == 0
    assert panel.chat_try.adapter is None


def test_export_is_offered_for_chat_runs_with_a_model_and_writes_through_a_worker(qtbot, project, monkeypatch,
                                                                                  tmp_path):
    tagger = add_run(project, kind="ner", best=0.5)
    no_model = add_run(project, best=2.0)
    chat = add_run(project, best=1.9, metrics=metric_rows(chat_events(steps=10)))
    folder = chat_run_folder(project, chat)
    panel = TrainingPanel(project.path)
    qtbot.addWidget(panel)
    button = panel.history.export_button
    for rid, enabled in ((tagger, False), (no_model, False), (chat, True)):
        panel.history.select_run(rid)
        assert button.isEnabled() is enabled, rid
    calls = []

    def fake_job(adapter, out, quant=None):
        def job(report, cancel):
            calls.append((adapter, out, quant))
            report(Progress("Exporting", 1, 2, "step"))
            Path(out).mkdir()
            return Path(out)

        return job

    monkeypatch.setattr(panel, "make_export_job", fake_job)
    monkeypatch.setattr(panel, "choose_export_dir", lambda run: str(tmp_path / f"run{run.id}"))
    button.click()
    assert calls == [(folder / "best", str(tmp_path / f"run{chat}"), None)]
    assert panel.message.text().startswith(f"Exported run {chat} to ") and (tmp_path / f"run{chat}").is_dir()
    # a GGUF file type: the quantization follows the chosen type; the extension is added
    picked = {}

    def save_dialog(parent, caption, start, filters):
        picked["filters"] = filters.split(";;")
        return str(tmp_path / "mine"), picked["filters"][2]

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    monkeypatch.setattr(panel, "choose_export_dir", type(panel).choose_export_dir.__get__(panel))
    calls.clear()
    panel.export_run(chat)
    assert len(picked["filters"]) == 3 and "q8_0" in picked["filters"][2]
    assert calls == [(folder / "best", str(tmp_path / "mine.gguf"), "q8_0")]
    assert "LM Studio" in panel.message.text()

    def failing(adapter, out, quant=None):
        def job(report, cancel):
            from engine.errors import TesseraError

            raise TesseraError(f"{out} already exists and is not a model folder; choose a new folder to export to.")

        return job

    monkeypatch.setattr(panel, "make_export_job", failing)
    assert panel.export_run(chat) is None
    assert panel.message.text().startswith(f"Could not export run {chat}: ") and "Traceback" not in panel.message.text()
    monkeypatch.setattr(panel, "choose_export_dir", lambda run: None)  # chooser cancelled: nothing runs
    calls.clear()
    assert panel.export_run(chat) is None and calls == []
    assert panel.export_run(tagger) is None  # a tagger's best/ already is a model folder


# --------------------------------------------------------------------------- worker (fake engine)


def test_start_and_stop_a_chat_run_through_the_worker(panel, project, qtbot):
    add_examples(project, dolly_examples(4))
    panel.set_task("chat")
    panel.chat_form.lora_r.setValue(4)
    asked, steps = [], []

    def fake_train(project_path, kwargs):
        asked.append(kwargs)

        def job(report, cancel):
            for s in range(1, 100000):
                cancel.check()
                report(Progress("Training", s, 100000, "steps"))
                report(Metric("train/loss", 2.0 / s, s, 0.0))
                steps.append(s)
                threading.Event().wait(0.002)

        return job

    panel.make_chat_train_job = fake_train
    panel.make_train_job = None  # a tagger job must not be made
    qtbot.mouseClick(panel.start_button, Qt.LeftButton)
    assert asked and asked[0]["lora_r"] == 4
    assert panel.is_running() and not panel.task.isEnabled() and not panel.chat_form.isEnabled()
    qtbot.waitUntil(lambda: len(steps) > 5, timeout=5000)
    qtbot.mouseClick(panel.stop_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=5000)
    assert panel.message.text().startswith("Stopped at step")
    assert len(panel.plots.loss.curves["train_raw"].getData()[0]) > 5
    assert panel.task.isEnabled() and panel.start_button.isEnabled()


def test_resume_a_paused_chat_run_uses_the_chat_engine(qtbot, project):
    rid = add_run(project, status="cancelled", metrics=metric_rows(chat_events(steps=10)))
    chat_run_folder(project, rid, best=False)
    add_run(project, kind="ner", status="cancelled")  # newer, selected first
    panel = TrainingPanel(project.path)
    qtbot.addWidget(panel)
    asked = []

    def fake_resume(project_path, run_id):
        asked.append(run_id)

        def job(report, cancel):
            for s in range(11, 16):
                report(Metric("train/loss", 0.5, s, s / 20))
                report(Progress("Training", s, 15, "steps"))
            report(Metric("dev/loss", 1.5, 15, 0.75))

        return job

    panel.make_chat_resume_job = fake_resume
    panel.make_resume_job = None
    panel.history.select_run(rid)
    assert panel.resume_button.isEnabled() and panel.task_kind() == "chat"
    qtbot.mouseClick(panel.resume_button, Qt.LeftButton)
    assert asked == [rid] and panel.view_kind == "chat"
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=5000)
    assert curve_data(panel.plots.loss, "train_raw")[0] == list(range(1, 16))
    assert panel.chat_eval.best.step == 15


# --------------------------------------------------------------------------- try it


def test_try_it_answers_with_the_runs_adapter_and_offers_the_chat_pane(qtbot, project, monkeypatch):
    rid = add_run(project, best=1.8, base_model="/models/my-chat")
    folder = chat_run_folder(project, rid)
    import gui.training.try_chat as try_chat
    from engine.chat.generate import Reply

    calls = []

    def fake_answer(base, adapter, prompt, *, max_new_tokens=None, cancel=None):
        calls.append((base, adapter, prompt))
        return Reply("Camels store fat in their humps.", 7, 0.1, 30.0, "eos")

    monkeypatch.setattr(try_chat, "answer", fake_answer)
    panel = TrainingPanel(project.path)
    qtbot.addWidget(panel)
    panel.history.select_run(rid)
    box = panel.chat_try
    assert panel.try_stack.currentWidget() is box
    assert box.input.isEnabled() and not box.ask_button.isEnabled()  # nothing typed yet
    box.input.setText("Why can camels survive without water?")
    with qtbot.waitSignal(box.answered, timeout=5000) as sig:
        qtbot.keyClick(box.input, Qt.Key_Return)
    assert sig.args[0] == "Camels store fat in their humps."
    assert calls == [("/models/my-chat", str(folder / "best"), "Why can camels survive without water?")]
    assert box.output.toPlainText() == "Camels store fat in their humps." and box.status.text() == (
        f"Answered by the best model of run {rid}: 7 tokens, 30 tokens/s.")
    with qtbot.waitSignal(panel.openChatRequested, timeout=1000) as sig:
        box.chat_button.click()
    assert sig.args == [rid, "/models/my-chat", str(folder / "best")]
    box.wait()


def test_try_it_without_a_chat_model(panel):
    panel.set_task("chat")
    assert panel.try_stack.currentWidget() is panel.chat_try
    assert not panel.chat_try.input.isEnabled() and not panel.chat_try.chat_button.isEnabled()
    assert "No fine-tuned chat model" in panel.chat_try.status.text()


# --------------------------------------------------------------------------- real fine-tuning


@pytest.mark.slow
def test_real_chat_run_stop_resume_and_try(qtbot, tmp_path, chat_model, monkeypatch):
    """Fine-tune the default chat model for 3 steps: Stop after step 1, Resume to the end,
    then ask the run's adapter a question. ``chat_model`` converts the default model once."""
    sft = pytest.importorskip("engine.chat.sft")
    path = tmp_path / "chat.tessera"
    with Project.create(path) as p:
        add_examples(p, dolly_examples(10, max_chars=240), split="train")
        add_examples(p, dolly_examples(12, max_chars=240)[10:], split="dev")
    panel = TrainingPanel(path)
    qtbot.addWidget(panel)
    panel.resize(1200, 760)
    panel.show()
    panel.set_task("chat")
    f = panel.chat_form
    f.max_steps.setValue(3)
    f.batch_size.setValue(2)
    f.max_length.setValue(128)
    f.lora_r.setValue(4)
    assert panel.start_button.isEnabled()

    reached = threading.Event()

    def gated(project_path, kwargs):  # holds the worker after step 1 until Stop is pressed
        real = sft.train

        def job(report, cancel):
            def relay(e):
                report(e)
                if isinstance(e, Metric) and e.name == "train/loss" and e.step == 1 and not reached.is_set():
                    reached.set()
                    cancel._event.wait(60)

            return real(project_path, sft.SftConfig.from_dict(kwargs), report=relay, cancel=cancel)

        return job

    panel.make_chat_train_job = gated
    qtbot.mouseClick(panel.start_button, Qt.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=300_000)
    qtbot.mouseClick(panel.stop_button, Qt.LeftButton)
    with qtbot.waitSignal(panel.runFinished, timeout=300_000) as sig:
        pass
    rid = sig.args[0]
    assert panel.message.text().startswith("Stopped at step"), panel.message.text()
    row = panel.history.row_of(rid)
    assert cells(panel, row)[COL_KIND] == "Chat" and cells(panel, row)[COL_STATUS] == "● stopped"
    assert panel.resume_button.isEnabled()
    assert curve_data(panel.plots.loss, "train_raw")[0] == [1]

    qtbot.mouseClick(panel.resume_button, Qt.LeftButton)
    with qtbot.waitSignal(panel.runFinished, timeout=300_000) as sig:
        pass
    assert sig.args[0] == rid
    assert panel.message.text().startswith("Training finished"), panel.message.text()
    with Project.open(path) as p:
        kind, status, best, out = p.conn.execute(
            "SELECT kind, status, best_metric, output_dir FROM runs WHERE id=?", (rid,)).fetchone()
        out = resolve_run_folder(p, out)  # stored relative to the project's folder
        steps = [r[0] for r in p.conn.execute(
            "SELECT step FROM run_metrics WHERE run_id=? AND name='train/loss' ORDER BY step", (rid,))]
    assert (kind, status) == ("chat", "finished") and steps == [1, 2, 3]
    assert best is not None and math.isfinite(best)
    assert curve_data(panel.plots.loss, "train_raw")[0] == [1, 2, 3]
    assert len(panel.plots.loss.curves["dev_loss"].getData()[0]) >= 1
    assert panel.chat_eval.best is not None and panel.chat_eval.best.loss == pytest.approx(best)
    row = panel.history.row_of(rid)
    assert cells(panel, row)[COL_BEST] == f"dev loss {best:.3f}" and cells(panel, row)[COL_STEPS] == "3"
    assert (Path(out) / "best" / "adapter_config.json").is_file()

    import gui.training.try_chat as try_chat

    monkeypatch.setattr(try_chat, "MAX_NEW_TOKENS", 8)
    box = panel.chat_try
    assert box.adapter == str(Path(out) / "best")
    box.input.setText("What is a polygon?")
    with qtbot.waitSignal(box.answered, timeout=120_000):
        box.ask()
    assert box.reply.tokens >= 1 and box.output.toPlainText().strip()
    box.wait()

    # Export: the adapter merged into the base model, a folder the chat loader opens
    merged = tmp_path / "merged"
    monkeypatch.setattr(panel, "choose_export_dir", lambda run: str(merged))
    panel.history.select_run(rid)
    qtbot.mouseClick(panel.history.export_button, Qt.LeftButton)
    assert panel.message.text().startswith(f"Exported run {rid}"), panel.message.text()
    assert (merged / "config.json").is_file() and (merged / "model.safetensors").is_file()
    info = json.loads((merged / "tessera_run.json").read_text(encoding="utf-8"))
    assert info["merged_from"] == str(Path(out) / "best")
