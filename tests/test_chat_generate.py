"""Chat generation: answers, streaming, parity with transformers, cancel, stops, sampling, errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from engine.chat.generate import GenerationSettings, Reply, _Detokenizer, _Run, generate, stream, stream_ids
from engine.chat.model import ChatModel, ChatModelError, load_chat_model
from engine.chat.sampling import pick_token
from engine.events import CancelToken, Metric

DATA = Path(__file__).resolve().parent / "data" / "chat"
FRANCE = [{"role": "user", "content": "What is the capital of France?"}]


def dolly_questions(n: int) -> list[str]:
    lines = (DATA / "dolly_open_qa_200.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    return [json.loads(x)["text"].split("### Human:", 1)[1].split("### Assistant:", 1)[0].strip() for x in lines]


def hf_greedy_ids(model, chat: ChatModel, ids: list[int], n: int) -> list[int]:
    """transformers' own greedy ids for ``ids``, cut before the first stop token."""
    x = torch.tensor([ids])
    with torch.inference_mode():
        out = model.generate(x, attention_mask=torch.ones_like(x), max_new_tokens=n, do_sample=False,
                             pad_token_id=chat.tokenizer.eos_token_id)[0, len(ids):].tolist()
    stops = chat.stop_token_ids()
    cut = next((i for i, t in enumerate(out) if t in stops), len(out))
    return out[:cut]


def test_default_model_answers_a_question(chat_model):
    events = []
    reply = generate(chat_model, FRANCE, GenerationSettings(max_new_tokens=20), report=events.append)
    assert isinstance(reply, Reply)
    assert "Paris" in reply.text
    assert reply.tokens == len(reply.token_ids) > 0
    assert reply.stopped_by in ("eos", "length")
    names = [e.name for e in events if isinstance(e, Metric)]
    assert names == ["chat/ttft_ms", "chat/tokens_per_s"]
    assert reply.ttft_s > 0


def test_streaming_equals_whole_reply_and_decode(chat_model):
    settings = GenerationSettings(max_new_tokens=24)
    msgs = [{"role": "user", "content": dolly_questions(1)[0]}]
    run = _Run()
    pieces = list(stream(chat_model, msgs, settings, result=run))
    whole = generate(chat_model, msgs, settings)
    assert len(pieces) > 3 and all(pieces)
    assert "".join(pieces) == run.reply.text == whole.text
    assert run.reply.token_ids == whole.token_ids
    assert whole.text == chat_model.tokenizer.decode(whole.token_ids, skip_special_tokens=True)


def test_greedy_ids_equal_transformers_generate(chat_model):
    """The fast llama path writes exactly transformers' greedy tokens (an untouched model as reference)."""
    from transformers import AutoModelForCausalLM

    ref = AutoModelForCausalLM.from_pretrained(str(chat_model.folder), dtype=torch.float32, use_safetensors=True)
    ref.eval()
    instr = json.loads((DATA / "self_instruct_seed_tasks.jsonl").read_text(encoding="utf-8").splitlines()[1])
    questions = dolly_questions(2) + [instr["instruction"] + "\n" + instr["instances"][0]["input"]]
    for q in questions:
        ids = chat_model.prompt_ids([{"role": "user", "content": q}])
        ours = stream_reply(chat_model, ids, GenerationSettings(max_new_tokens=24))
        assert ours.token_ids == hf_greedy_ids(ref, chat_model, ids, 24), q


def stream_reply(chat, ids, settings, **kw) -> Reply:
    run = _Run()
    for _ in stream_ids(chat, ids, settings, result=run, **kw):
        pass
    return run.reply


def test_transformers_fallback_writes_the_same_ids(chat_model, monkeypatch):
    """Models without the fast path go through the transformers forward: same greedy tokens."""
    import engine.chat.fast_llama as fl

    ids = chat_model.prompt_ids([{"role": "user", "content": dolly_questions(3)[2]}])
    fast = stream_reply(chat_model, ids, GenerationSettings(max_new_tokens=16))
    monkeypatch.setattr(fl, "fast_decoder", lambda chat: None)
    slow = stream_reply(chat_model, ids, GenerationSettings(max_new_tokens=16))
    assert slow.token_ids == fast.token_ids and slow.text == fast.text


def test_generation_leaves_the_thread_settings_alone(chat_model):
    """The one-token step runs single-threaded for this thread only, and restores it."""
    import threading

    before = torch.get_num_threads()
    seen = []
    for _ in stream(chat_model, FRANCE, GenerationSettings(max_new_tokens=3)):
        seen.append(torch.get_num_threads())
    other = []
    t = threading.Thread(target=lambda: other.append(torch.get_num_threads()))
    t.start()
    t.join()
    assert torch.get_num_threads() == before and set(seen) == {before} and other == [before]


def test_cancel_stops_within_one_token(chat_model):
    settings = GenerationSettings(max_new_tokens=30)
    full = generate(chat_model, FRANCE, settings)
    dec = chat_model.tokenizer.decode
    first_piece_at = next(k for k in range(1, len(full.token_ids) + 1)
                          if dec(full.token_ids[:k], skip_special_tokens=True))
    cancel, run = CancelToken(), _Run()
    pieces = []
    for piece in stream(chat_model, FRANCE, settings, cancel=cancel, result=run):
        pieces.append(piece)
        cancel.cancel()
    assert run.reply.stopped_by == "cancel"
    assert run.reply.tokens <= first_piece_at + 1
    assert run.reply.token_ids == full.token_ids[: run.reply.tokens]
    assert "".join(pieces) == run.reply.text


def test_cancel_before_start_writes_nothing(chat_model):
    cancel = CancelToken()
    cancel.cancel()
    reply = generate(chat_model, FRANCE, GenerationSettings(max_new_tokens=10), cancel=cancel)
    assert (reply.text, reply.tokens, reply.stopped_by) == ("", 0, "cancel")


@pytest.mark.parametrize("stop", ["Paris", " of Fr"])
def test_stop_string_cuts_the_text(chat_model, stop):
    full = generate(chat_model, FRANCE, GenerationSettings(max_new_tokens=20)).text
    assert stop in full  # the greedy answer is "The capital of France is Paris."
    run = _Run()
    pieces = list(stream(chat_model, FRANCE, GenerationSettings(max_new_tokens=20, stop=("zzz", stop)), result=run))
    assert run.reply.stopped_by == "stop"
    assert run.reply.text == full[: full.index(stop)]
    assert "".join(pieces) == run.reply.text
    assert all(stop not in p for p in pieces)


def test_seeded_sampling_is_reproducible(chat_model):
    s = GenerationSettings(max_new_tokens=16, temperature=0.9, top_p=0.9, top_k=50, repetition_penalty=1.2, seed=7)
    a = generate(chat_model, FRANCE, s)
    b = generate(chat_model, FRANCE, s)
    assert a.token_ids == b.token_ids and a.text == b.text and a.tokens > 0


def test_top_k_one_equals_greedy(chat_model):
    greedy = generate(chat_model, FRANCE, GenerationSettings(max_new_tokens=12))
    k1 = generate(chat_model, FRANCE, GenerationSettings(max_new_tokens=12, temperature=1.5, top_k=1, seed=3))
    assert k1.token_ids == greedy.token_ids


@pytest.mark.parametrize("n", [0, 5])
def test_max_new_tokens_is_respected(chat_model, n):
    reply = generate(chat_model, [{"role": "user", "content": "Write a long story about a dragon."}],
                     GenerationSettings(max_new_tokens=n))
    assert reply.tokens == n and reply.stopped_by == "length"
    assert (reply.text == "") == (n == 0)


def test_detokenizer_holds_back_partial_utf8(chat_model):
    tok = chat_model.tokenizer
    text = "Café 👍🎉 日本語 — ok"
    ids = tok.encode(text, add_special_tokens=False)
    d = _Detokenizer(tok)
    pieces = [d.add(i) for i in ids] + [d.flush()]
    assert "".join(pieces) == tok.decode(ids) == text
    assert not any("\ufffd" in p for p in pieces)
    # a reply cut in the middle of a character ends like decode() does
    emoji = tok.encode("👍", add_special_tokens=False)
    assert len(emoji) > 1
    d = _Detokenizer(tok)
    held = [d.add(i) for i in emoji[:-1]]
    assert held == [""] * (len(emoji) - 1)
    assert d.flush() == tok.decode(emoji[:-1])


# ---- sampling.pick_token on small logits (no model) ----

class S:
    def __init__(self, temperature=0.0, top_k=0, top_p=1.0, repetition_penalty=1.0):
        self.temperature, self.top_k, self.top_p = temperature, top_k, top_p
        self.repetition_penalty = repetition_penalty


def test_repetition_penalty_divides_positive_and_multiplies_negative_logits():
    logits = torch.tensor([2.0, -1.0, 0.5, 1.9])
    assert pick_token(logits, S()) == 0
    seen = torch.tensor([0, 1, 0])
    assert pick_token(logits, S(repetition_penalty=2.0), seen) == 3  # 2.0 -> 1.0 < 1.9
    assert torch.equal(logits, torch.tensor([2.0, -1.0, 0.5, 1.9]))  # the caller's logits are untouched
    neg = torch.tensor([-0.5, -0.6])
    assert pick_token(neg, S(repetition_penalty=2.0), torch.tensor([0])) == 1  # -0.5 -> -1.0 < -0.6
    assert pick_token(neg, S(repetition_penalty=1.0), torch.tensor([0])) == 0  # 1 = off


def test_top_k_and_top_p_limit_the_draw():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.2]))
    g = torch.Generator().manual_seed(0)
    draws = lambda s: {pick_token(logits, s, None, g) for _ in range(200)}  # noqa: E731
    assert draws(S(temperature=1.0)) == {0, 1, 2}
    assert draws(S(temperature=1.0, top_k=2)) == {0, 1}
    assert draws(S(temperature=1.0, top_p=0.5)) == {0}
    assert draws(S(temperature=1.0, top_p=0.6)) == {0, 1}
    assert draws(S(temperature=1.0, top_k=1)) == {0}


# ---- the fast path on tiny random models of each supported family ----

def tiny_model(model_type: str, **extra):
    from transformers import AutoConfig, AutoModelForCausalLM

    torch.manual_seed(0)
    cfg = AutoConfig.for_model(model_type, vocab_size=300, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
                               num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                               tie_word_embeddings=False, **extra)
    return AutoModelForCausalLM.from_config(cfg, dtype=torch.float32).eval()


@pytest.mark.parametrize("model_type", ["llama", "qwen2", "mistral"])
def test_fast_path_logits_match_transformers(model_type):
    from engine.chat.fast_llama import FastLlama, unsupported_reason

    model = tiny_model(model_type)
    assert unsupported_reason(model) is None
    ids = [5, 17, 99, 3, 250, 42, 7, 8]
    with torch.inference_mode():
        ref = model(torch.tensor([ids])).logits[0]
        fast = FastLlama(model)
        cache = fast.new_cache(len(ids))
        got = [fast.prefill(ids[:5], cache)] + [fast.step(t, cache) for t in ids[5:]]
    for k, logits in enumerate(got):
        torch.testing.assert_close(logits, ref[4 + k], rtol=1e-4, atol=1e-5)


def test_unsupported_models_fall_back_and_updates_rebuild(chat_model):
    from engine.chat.fast_llama import fast_decoder, unsupported_reason

    odd = tiny_model("qwen3", head_dim=16)  # per-head query/key norms: not reproduced by the fast path
    assert unsupported_reason(odd)
    chat = ChatModel(odd, chat_model.tokenizer, Path("tiny"))
    assert fast_decoder(chat) is None
    ids = [5, 17, 99, 3]
    reply = stream_reply(chat, ids, GenerationSettings(max_new_tokens=6))
    assert reply.token_ids == hf_greedy_ids(odd, chat, ids, 6)

    model = tiny_model("llama")
    chat = ChatModel(model, chat_model.tokenizer, Path("tiny"))
    first = fast_decoder(chat)
    assert first is not None and fast_decoder(chat) is first
    with torch.no_grad():
        model.model.layers[0].mlp.down_proj.weight.mul_(2.0)  # an in-place update (like a training step)
    assert fast_decoder(chat) is not first
    assert stream_reply(chat, ids, GenerationSettings(max_new_tokens=6)).token_ids == hf_greedy_ids(model, chat, ids, 6)


# ---- loading errors ----

def test_a_model_that_cannot_write_text_is_refused():
    from engine.ner.model_source import default_model_dir

    with pytest.raises(ChatModelError, match="cannot write text"):
        load_chat_model(default_model_dir())


def test_an_adapter_folder_without_config_is_refused(chat_model, tmp_path):
    (tmp_path / "adapter_model.safetensors").write_bytes(b"")
    with pytest.raises(ChatModelError, match="adapter_config.json"):
        load_chat_model(chat_model.folder, adapter=tmp_path)


def test_top_p_zero_picks_the_most_likely_token():
    import torch

    from engine.chat.sampling import pick_token

    logits = torch.tensor([0.1, 2.0, 1.9, -1.0])
    s = GenerationSettings(temperature=0.9, top_p=0.0)
    assert {pick_token(logits, s, generator=torch.Generator().manual_seed(i)) for i in range(20)} == {1}
