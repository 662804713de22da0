"""engine.chat.cuda_graph: decode steps with fixed shapes, replayed as a CUDA graph on a GPU.

On a CPU the fixed-shape step runs eagerly and must give the logits of
:meth:`FastLlama.step`. On a GPU (tests marked ``gpu``, skipped without one): replies
with graphs equal replies without them and ``model.generate``'s, a kept graph is
reused by the next reply, seeded sampling repeats, and a short LoRA run trains in bf16.
The GPU tests use the default chat model, or the folder in ``TESSERA_TEST_CHAT_MODEL``
(the GPU machine used here cannot take the 98 MB default model file, so it gets a
random-weight copy of the same architecture: see tests/bench/make_random_model.py).
"""
from __future__ import annotations

import math
import os

import pytest
import torch

from engine.chat import cuda_graph
from engine.chat.fast_llama import fast_decoder
from engine.chat.generate import GenerationSettings, generate

QUESTION = [{"role": "user", "content": "What is the capital of France?"}]


def test_bucket_rounds_up_to_whole_buckets():
    assert cuda_graph.bucket(1) == cuda_graph.BUCKET
    assert cuda_graph.bucket(cuda_graph.BUCKET) == cuda_graph.BUCKET
    assert cuda_graph.bucket(cuda_graph.BUCKET + 1) == 2 * cuda_graph.BUCKET


@pytest.mark.parametrize("quantize", [None, "int8"])
def test_fixed_shape_step_matches_the_eager_step(chat_model, quantize):
    chat_model.quantize = quantize
    try:
        fast = fast_decoder(chat_model)
    finally:
        chat_model.quantize = None
    assert fast.quantize == quantize
    ids = chat_model.prompt_ids(QUESTION)
    cache = fast.new_cache(len(ids) + 12)
    fixed = cuda_graph.GraphStep(fast, len(ids) + 12, graph=False)
    a, b = fast.prefill(ids, cache), fixed.prefill(ids)
    assert torch.equal(a, b)
    token = int(a.argmax())
    for _ in range(12):
        a, b = fast.step(token, cache), fixed.step(token)
        assert torch.allclose(a, b, atol=1e-3, rtol=0), float((a - b).abs().max())
        assert int(a.argmax()) == int(b.argmax())
        token = int(a.argmax())
    assert fixed.cache.length == cache.length


def test_a_prompt_longer_than_the_capacity_is_refused(chat_model):
    fixed = cuda_graph.GraphStep(fast_decoder(chat_model), 4, graph=False)
    with pytest.raises(ValueError):
        fixed.prefill(list(range(cuda_graph.BUCKET + 1)))


# --------------------------------------------------------------------------- GPU


@pytest.fixture(scope="module")
def cuda_chat(models_dir):
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU")
    from engine.chat.model import load_chat_model

    os.environ["TESSERA_MODELS"] = str(models_dir)
    return load_chat_model(os.environ.get("TESSERA_TEST_CHAT_MODEL") or "default", device="cuda")


def _reply_ids(chat, graphs: bool, n: int = 24, **settings) -> list[int]:
    old = os.environ.get("TESSERA_CUDA_GRAPHS")
    os.environ["TESSERA_CUDA_GRAPHS"] = "1" if graphs else "0"
    try:
        return generate(chat, QUESTION, GenerationSettings(max_new_tokens=n, **settings)).token_ids
    finally:
        os.environ.pop("TESSERA_CUDA_GRAPHS") if old is None else os.environ.update(TESSERA_CUDA_GRAPHS=old)


@pytest.mark.gpu
def test_cuda_graph_replies_equal_eager_and_hf_generate(cuda_chat):
    with_graph = _reply_ids(cuda_chat, graphs=True)
    assert with_graph == _reply_ids(cuda_chat, graphs=False)
    ids = torch.tensor([cuda_chat.prompt_ids(QUESTION)], device="cuda")
    out = cuda_chat.model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=24,
                                   do_sample=False, pad_token_id=cuda_chat.tokenizer.eos_token_id)
    hf = out[0, ids.shape[1]:].tolist()
    assert with_graph == hf[: len(with_graph)]


@pytest.mark.gpu
def test_cuda_graph_is_kept_and_reused(cuda_chat):
    _reply_ids(cuda_chat, graphs=True, n=8)
    fast = fast_decoder(cuda_chat)
    kept = list(fast._graphs)
    assert kept and kept[0].graph is not None
    _reply_ids(cuda_chat, graphs=True, n=8)
    assert fast._graphs[0] is kept[0]  # same capture, not a new one


@pytest.mark.gpu
def test_seeded_sampling_repeats_on_cuda(cuda_chat):
    a = _reply_ids(cuda_chat, graphs=True, temperature=0.8, top_p=0.9, seed=3)
    assert a == _reply_ids(cuda_chat, graphs=True, temperature=0.8, top_p=0.9, seed=3)


@pytest.mark.gpu
def test_lora_sft_runs_in_bf16_on_cuda(cuda_chat, tmp_path):
    from engine.chat.importer import import_chat_file
    from engine.chat.sft import SftConfig, train
    from engine.events import Log, Metric
    from engine.store import Project
    from tests.conftest import DATA

    lines = (DATA / "chat" / "dolly_open_qa_200.jsonl").read_text(encoding="utf-8").splitlines()[:16]
    src = tmp_path / "dolly.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "p.tessera"
    with Project.create(path) as p:
        import_chat_file(p, src)
    events: list = []
    base = os.environ.get("TESSERA_TEST_CHAT_MODEL") or "default"
    result = train(path, SftConfig(base_model=base, max_steps=4, eval_every=4, batch_size=4, max_length=96,
                                   out_dir=str(tmp_path / "runs"), bf16=True), report=events.append)
    losses = [e.value for e in events if isinstance(e, Metric) and e.name == "train/loss"]
    assert result.steps == 4 and len(losses) == 4 and all(math.isfinite(v) for v in losses)
    assert any(isinstance(e, Log) and "bf16" in e.message for e in events)
