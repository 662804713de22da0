"""engine.chat.sft: LoRA fine-tuning of the default chat model on 32 real Dolly examples, few steps.

One run, paused after two steps and resumed, is shared by the module. A tiny run A
and a tiny run B, paused and resumed, must have the same losses step for step, which
checks seeding, the stored data order and the resumable state at once.
"""
from __future__ import annotations

import copy
import json

import pytest
import torch

from engine.chat import sft_data as SD
from engine.chat.generate import GenerationSettings, generate
from engine.chat.importer import import_chat_file
from engine.chat.model import load_chat_model
from engine.chat.sft import KIND, SftConfig, TrainingCancelled, evaluate, export_merged, resume, train
from engine.errors import TesseraError
from engine.events import CancelToken, Metric, Progress
from engine.ner import runs
from engine.store import Project
from tests.conftest import DATA

N_EXAMPLES, MAX_LEN = 32, 96
STEPS, EVAL_EVERY, PAUSE_AT = 4, 2, 2
CONFIG = dict(max_steps=STEPS, eval_every=EVAL_EVERY, batch_size=4, max_length=MAX_LEN, lr=1e-3, seed=0)
GREEDY = GenerationSettings(max_new_tokens=16, temperature=0.0)


def _losses(events) -> dict[int, float]:
    return {e.step: e.value for e in events if isinstance(e, Metric) and e.name == "train/loss"}


def _dolly_slice(tmp_path, n: int):
    lines = (DATA / "chat" / "dolly_open_qa_200.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / f"dolly_{n}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pause_at(k: int, events: list):
    """Return ``(report, cancel)``: the report keeps events and sets ``cancel`` once step ``k`` is done."""
    cancel = CancelToken()

    def report(e):
        events.append(e)
        if isinstance(e, Progress) and e.what == "Training" and e.done == k:
            cancel.cancel()

    return report, cancel


@pytest.fixture(scope="module")
def trained(tmp_path_factory, chat_model):
    """A project with 32 Dolly examples and one run: paused after PAUSE_AT steps, then resumed to the end.

    (``chat_model`` converts the default model once for the session.)
    """
    tmp = tmp_path_factory.mktemp("sft")
    path = tmp / "dolly.tessera"
    with Project.create(path) as p:
        assert import_chat_file(p, _dolly_slice(tmp, N_EXAMPLES)).added == N_EXAMPLES
    events: list = []
    report, cancel = _pause_at(PAUSE_AT, events)
    with pytest.raises(TrainingCancelled) as exc:
        train(path, SftConfig(**CONFIG), report=report, cancel=cancel)
    paused = (exc.value.run_id, exc.value.step)
    with Project.open(path) as p:
        status = runs.get_run(p, paused[0]).status
    resumed: list = []
    result = resume(path, paused[0], report=resumed.append)
    return path, result, events + resumed, paused, status


# --------------------------------------------------------------------------- labels


def _labelled_text(tokenizer, enc: SD.Encoded) -> list[str]:
    """Decoded runs of consecutive labelled tokens."""
    runs_, cur = [], []
    for i, lab in zip(enc.input_ids, enc.labels):
        if lab != SD.IGNORE_INDEX:
            assert lab == i
            cur.append(i)
        elif cur:
            runs_.append(tokenizer.decode(cur))
            cur = []
    if cur:
        runs_.append(tokenizer.decode(cur))
    return runs_


CONVERSATION = [
    {"role": "system", "content": "Answer in one short sentence."},
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "Paris is the capital of France."},
    {"role": "user", "content": "And of Italy?"},
    {"role": "assistant", "content": "Rome.\nIt has been the capital since 1871."},
]


def test_label_mask_is_assistant_content_and_end_of_turn(chat_model):
    tok = chat_model.tokenizer
    stops = SD.end_of_turn_ids(tok)
    enc, skipped = SD.encode_conversation(tok, CONVERSATION, stops)
    assert skipped == 0 and not enc.fallback and not enc.cut
    assert enc.input_ids == chat_model.prompt_ids(CONVERSATION, add_generation_prompt=False)
    assert _labelled_text(tok, enc) == ["Paris is the capital of France.<|im_end|>",
                                        "Rome.\nIt has been the capital since 1871.<|im_end|>"]
    # cut at max_length: the end of the second answer is lost; cut before any answer: nothing left
    short, _ = SD.encode_conversation(tok, CONVERSATION, stops, max_length=len(enc) - 3)
    assert short.cut and len(short) == len(enc) - 3 and short.labels == enc.labels[:len(enc) - 3]
    encoded, stats = SD.encode_all(tok, [CONVERSATION, CONVERSATION[:3]], 20, stops)
    assert stats.dropped == 2 and stats.cut == 2 and encoded == []


def test_label_mask_falls_back_when_the_template_rerenders_turns(chat_model):
    """A template whose output for earlier turns changes once more turns follow (here a
    message count at the top): the prefix check fails and answers are found by text."""
    tok = copy.deepcopy(chat_model.tokenizer)
    tok.chat_template = ("{{ messages|length }} messages\n" + chat_model.tokenizer.chat_template)
    stops = SD.end_of_turn_ids(tok)
    enc, skipped = SD.encode_conversation(tok, CONVERSATION, stops)
    assert enc.fallback and skipped == 0
    assert _labelled_text(tok, enc) == ["Paris is the capital of France.<|im_end|>",
                                        "Rome.\nIt has been the capital since 1871.<|im_end|>"]


# --------------------------------------------------------------------------- training


def test_pause_resume_run_row_checkpoints_and_events(trained):
    path, result, events, (run_id, paused_step), paused_status = trained
    assert paused_step == PAUSE_AT and paused_status == "cancelled"
    assert result.run_id == run_id and result.steps == STEPS and result.status == "finished"
    assert 1 <= result.best_step <= STEPS
    with Project.open(path) as p:
        row = runs.get_run(p, result.run_id)
        assert row.kind == KIND == "chat" and row.status == "finished" and row.base_model == "default"
        assert row.best_metric == pytest.approx(result.best_loss)
        assert row.config["lr"] == 1e-3 and row.config["lora_alpha"] == 32  # the chosen config is stored
        rows = runs.metrics(p, result.run_id)
        # splits were stored: 10% dev
        assert p.conn.execute("SELECT count(*) FROM chat_examples WHERE split='dev'").fetchone()[0] == 3
    keys = [(s, n) for s, _, n, _ in rows]
    assert len(keys) == len(set(keys))  # nothing recorded twice across the pause
    assert sorted(s for s, n in keys if n == "train/loss") == list(range(1, STEPS + 1))
    dev = [(s, v) for s, _, n, v in rows if n == "dev/loss"]
    assert [s for s, _ in dev] == [0, 2, 4]  # before training, then every EVAL_EVERY steps
    assert min(v for s, v in dev if s) == pytest.approx(result.best_loss)
    # every dev loss comes with its 95% interval (bootstrap over the dev examples: issue 14)
    lo = dict((s, v) for s, _, n, v in rows if n == "dev/loss_lo")
    hi = dict((s, v) for s, _, n, v in rows if n == "dev/loss_hi")
    assert sorted(lo) == [0, 2, 4] and all(lo[s] <= v <= hi[s] for s, v in dev)
    assert [e.done for e in events if isinstance(e, Progress) and e.what == "Training"] == \
        [0, 1, 2, 2, 3, 4]  # the resumed run starts where the paused one stopped
    assert sorted(_losses(events)) == list(range(1, STEPS + 1))
    assert {"train/loss", "train/lr", "train/tokens", "dev/loss", "mem/rss_mb", "train/tokens_per_s"} <= {
        e.name for e in events if isinstance(e, Metric)}
    best = result.best_dir
    assert (best / "adapter_config.json").is_file() and (best / "adapter_model.safetensors").is_file()
    assert json.loads((best / "adapter_config.json").read_text())["r"] == 16
    info = json.loads((best / "tessera_run.json").read_text())
    assert info["base_model"] == "default" and info["best"]["step"] == result.best_step
    assert (result.output_dir / "last" / "training_state.pt").is_file()
    assert not list(result.output_dir.glob(".*"))  # no staging folders left behind
    with pytest.raises(TesseraError, match="already finished"):
        resume(path, run_id)


def test_training_lowers_the_loss_and_changes_the_greedy_answer(trained, chat_model):
    path, result, *_ = trained
    with Project.open(path) as p:
        train_convs = SD.load_sft_data(p, assign=False).train[:8]
    tuned = load_chat_model("default", adapter=result.best_dir)  # a fresh copy: chat_model stays as it was
    enc, _ = SD.encode_all(tuned.tokenizer, train_convs, MAX_LEN, SD.end_of_turn_ids(tuned.tokenizer))
    before = evaluate(chat_model.model, enc)
    after = evaluate(tuned.model, enc)
    assert after < before - 0.05, (before, after)

    prompt = train_convs[0][:-1]
    base_reply = generate(chat_model, prompt, GREEDY)
    tuned_reply = generate(tuned, prompt, GREEDY)
    assert tuned_reply.token_ids != base_reply.token_ids, tuned_reply.text


def test_export_merged_is_a_plain_model_with_the_adapter_in_it(trained, tmp_path):
    _, result, *_ = trained
    out = export_merged(result.best_dir, tmp_path / "merged")
    assert (out / "model.safetensors").is_file() and (out / "config.json").is_file()
    assert not (out / "adapter_config.json").exists()
    merged = load_chat_model(out).model.state_dict()
    adapted = load_chat_model("default", adapter=result.best_dir).model.state_dict()
    assert merged.keys() == adapted.keys()
    for k in merged:
        assert torch.equal(merged[k], adapted[k]), k
    with pytest.raises(TesseraError, match="not a fine-tuned chat adapter"):
        export_merged(tmp_path, tmp_path / "other")
    with pytest.raises(TesseraError, match="not a model folder"):
        export_merged(result.best_dir, result.output_dir)


def test_resumed_losses_equal_an_uninterrupted_run(trained):
    """Run A uninterrupted and run B paused after one step, on a tiny config: same losses, step for step."""
    path = trained[0]
    tiny = dict(max_steps=3, eval_every=3, batch_size=2, max_length=64, lr=1e-3, seed=1, lora_r=4)
    events_a: list = []
    train(path, SftConfig(**tiny), report=events_a.append)
    events_b: list = []
    report, cancel = _pause_at(1, events_b)
    with pytest.raises(TrainingCancelled) as exc:
        train(path, SftConfig(**tiny), report=report, cancel=cancel)
    resume(path, exc.value.run_id, report=events_b.append)
    a, b = _losses(events_a), _losses(events_b)
    assert sorted(a) == sorted(b) == [1, 2, 3]
    for s in a:
        assert b[s] == pytest.approx(a[s], rel=1e-5), (s, a, b)


def test_no_examples_is_a_clear_error_and_records_nothing(tmp_path):
    path = tmp_path / "empty.tessera"
    Project.create(path).close()
    with pytest.raises(SD.ChatDataError, match="import-chat|Import chat examples"):
        train(path, SftConfig(max_steps=1))
    with Project.open(path) as p:
        assert p.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
        # all examples in test: still nothing to train on
        from engine.chat.examples import add_examples

        add_examples(p, [CONVERSATION], split="test")
    with pytest.raises(SD.ChatDataError, match="test split"):
        train(path, SftConfig(max_steps=1))
    with Project.open(path) as p:
        assert p.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_fused_loss_equals_the_plain_loss_and_gradients(chat_model):
    """The chunked projection + loss (``SftConfig.fused_ce``, engine.kernels.ops) gives the
    loss and the LoRA gradients of the plain logits + F.cross_entropy path."""
    from engine.chat.sft import SftConfig, _fast_head_ok, _lora, _loss_sum
    from engine.ner import data as D

    tok = chat_model.tokenizer
    enc, _ = SD.encode_conversation(tok, CONVERSATION, SD.end_of_turn_ids(tok))
    model = _lora(copy.deepcopy(chat_model.model), SftConfig(lora_alpha=32), None)
    for p in model.parameters():
        if p.requires_grad:
            torch.nn.init.normal_(p, std=0.02)  # LoRA B starts at zero: make every gradient non-trivial
    model.eval()  # no dropout: both passes see the same network
    batch = D.collate([enc, enc], 0)
    assert _fast_head_ok(model, enc, "cpu", torch.autocast("cpu", enabled=False))
    results = []
    for fused in (False, True):
        model.zero_grad()
        loss, n = _loss_sum(model, batch, True, fused=fused)
        loss.backward()
        results.append((float(loss), n, {k: p.grad.clone() for k, p in model.named_parameters() if p.requires_grad}))
    (plain, n0, g0), (fused, n1, g1) = results
    assert n0 == n1 > 10 and abs(plain - fused) < 1e-4 * abs(plain)
    worst = max(float((g0[k] - g1[k]).norm() / g0[k].norm()) for k in g0)
    print(f"largest relative gradient difference: {worst:.1e}")
    assert worst < 1e-3  # float32 sums in another order, through 30 layers


@pytest.mark.slow
def test_two_processes_under_torchrun_equal_one_process(trained, tmp_path):
    """``sft`` under ``torchrun --nproc-per-node 2`` (gloo): each rank takes its own
    micro-batch, the LoRA gradients are summed, so every step equals one process
    accumulating both batches (no dropout, to compare); only rank 0 writes (one run
    row, each metric once)."""
    from tests.conftest import run_torchrun

    path = trained[0]
    common = dict(max_steps=3, eval_every=3, batch_size=2, max_length=MAX_LEN, lr=1e-3, seed=0, lora_dropout=0.0)
    events: list = []
    single = train(path, SftConfig(**common, grad_accum=2), report=events.append)
    with Project.open(path) as p:
        before = p.conn.execute("SELECT count(*) FROM runs").fetchone()[0]
    results = run_torchrun(tmp_path, (
        "from engine.chat.sft import SftConfig, train\n"
        "from engine.events import Metric\n"
        "seen = []\n"
        f"r = train({str(path)!r}, SftConfig(**{common!r}, grad_accum=1), report=seen.append)\n"
        "losses = {e.step: e.value for e in seen if isinstance(e, Metric) and e.name == 'train/loss'}\n"
        "report({'run': r.run_id, 'steps': r.steps, 'loss': r.best_loss, 'train': losses})\n"), port=29533)
    assert len(results) == 2 and len({r["run"] for r in results}) == 1
    assert all(r["steps"] == 3 for r in results) and results[0]["loss"] == results[1]["loss"]
    main_rank = next(r for r in results if r["train"])  # rank 0 reports; the other rank's report is silent
    assert sum(bool(r["train"]) for r in results) == 1
    one = _losses(events)
    assert sorted(int(k) for k in main_rank["train"]) == sorted(one) == [1, 2, 3]
    for k, v in main_rank["train"].items():
        assert v == pytest.approx(one[int(k)], rel=1e-4)
    assert results[0]["loss"] == pytest.approx(single.best_loss, rel=1e-4)
    with Project.open(path) as p:
        assert p.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == before + 1
        row = runs.get_run(p, results[0]["run"])
        keys = [(m[0], m[2]) for m in runs.metrics(p, row.id)]
    assert row.status == "finished" and len(keys) == len(set(keys))


@pytest.mark.slow
def test_gguf_export_round_trip_of_the_fine_tuned_model(trained, tmp_path, chat_model):
    """The run's adapter merged into the base model and written as GGUF loads back
    through the reader the default model comes through (transformers' GGUF loader):
    the same prompt tokens and chat template, the same greedy reply (f16), nearly the
    same logits (q8_0)."""
    from engine.chat.gguf_export import export_gguf
    from engine.chat.model import convert_gguf
    from engine.chat.sft import export_gguf_file

    best = trained[1].best_dir
    merged = load_chat_model("default", adapter=best)
    messages = [{"role": "user", "content": "Who wrote Hamlet?"}]
    ids = merged.prompt_ids(messages)
    ref = generate(merged, messages, GREEDY)
    with torch.no_grad():
        ref_logits = merged.model(torch.tensor([ids])).logits[0, -1]
    diffs = {}
    for quant in ("f16", "q8_0"):
        out = export_gguf_file(best, tmp_path / f"run-{quant}", quant=quant)
        assert out == tmp_path / f"run-{quant}.gguf" and out.stat().st_size > 100 * 2**20
        back = load_chat_model(convert_gguf(out, tmp_path / f"back-{quant}"))
        assert back.prompt_ids(messages) == ids and back.tokenizer.chat_template == merged.tokenizer.chat_template
        with torch.no_grad():
            logits = back.model(torch.tensor([ids])).logits[0, -1]
        diffs[quant] = float((logits - ref_logits).abs().max())
        if quant == "f16":
            assert generate(back, messages, GREEDY).token_ids == ref.token_ids
    print(f"\nmax abs logit difference: f16 {diffs['f16']:.4f}, q8_0 {diffs['q8_0']:.4f} "
          f"(logits up to {float(ref_logits.abs().max()):.1f})")
    assert diffs["f16"] < 0.1 and diffs["q8_0"] < 2.0
    with pytest.raises(TesseraError, match="f16 or q8_0"):
        export_gguf(merged, tmp_path / "x.gguf", quant="q4_0")
    assert not list(tmp_path.glob(".*.part"))  # nothing half-written left


def test_sft_command_writes_a_gguf_file(tmp_path, capsys, chat_model):
    import gguf

    import main

    project = tmp_path / "chat.tessera"
    with Project.create(project) as p:
        import_chat_file(p, _dolly_slice(tmp_path, 6))
    code = main.main(["sft", str(project), "--max-steps", "1", "--batch-size", "2", "--max-length", "64",
                      "--lora-r", "4", "--export-gguf", str(tmp_path / "mine.gguf"), "--quant", "q8_0", "--pack"])
    out = capsys.readouterr().out
    assert code == 0, out
    with Project.open(project) as p:
        assert p.conn.execute("SELECT config FROM runs").fetchone()[0].count('"pack": true') == 1
    assert f"Wrote {tmp_path / 'mine.gguf'} (q8_0)" in out
    fields = gguf.GGUFReader(str(tmp_path / "mine.gguf")).fields
    assert fields["general.architecture"].contents() == "llama" and fields["general.file_type"].contents() == 7
    assert "<|im_start|>" in fields["tokenizer.chat_template"].contents()
    assert main.main(["sft", str(project), "--export-gguf", str(tmp_path / "no" / "such" / "x.gguf")]) == 1
    assert "does not exist" in capsys.readouterr().err
