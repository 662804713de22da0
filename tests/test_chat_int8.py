"""Int8 weight-only decoding (``chat --quantize int8``, engine.chat.int8): the products,
the decoder's logits against float32, the default model's reply, the CLI."""
from __future__ import annotations

import pytest
import torch

import main
from engine.chat.int8 import Int8Weight, addmm, mm
from engine.kernels.reference import quantize_int8
from tests.test_chat_generate import tiny_model


def test_int8_product_is_the_dequantized_product():
    gen = torch.Generator().manual_seed(0)
    w = torch.randn(576, 1536, generator=gen) * 0.05  # [in, out], the decoder's layout
    x = torch.randn(3, 576, generator=gen)
    q8 = Int8Weight(w)
    q, scale = quantize_int8(w.t())
    assert torch.equal(q8.q, q) and q8.nbytes == 576 * 1536 + 1536 * 4
    exact = x.to(torch.bfloat16).float() @ (q.float() * scale[:, None]).t()  # what the op computes
    got = q8.mm(x)
    assert got.dtype == torch.float32 and got.shape == (3, 1536)
    assert float((got - exact).abs().max()) <= 0.02 * float(exact.abs().max())
    h = torch.randn(3, 1536, generator=gen)
    assert torch.allclose(addmm(h, x, q8), h + got)
    assert torch.equal(mm(x, w), x @ w)  # float weights keep the plain product


@pytest.mark.parametrize("model_type", ["llama", "qwen2"])
def test_int8_decoder_logits_stay_close_to_float32(model_type):
    from engine.chat.fast_llama import FastLlama

    model = tiny_model(model_type)
    ids = [5, 17, 99, 3, 250, 42, 7, 8]
    with torch.inference_mode():
        ref, q8 = FastLlama(model), FastLlama(model, quantize="int8")
        assert q8.lm_head.nbytes < ref.lm_head.numel() * 4 / 3
        a_cache, b_cache = ref.new_cache(len(ids)), q8.new_cache(len(ids))
        a = [ref.prefill(ids[:5], a_cache)] + [ref.step(t, a_cache) for t in ids[5:]]
        b = [q8.prefill(ids[:5], b_cache)] + [q8.step(t, b_cache) for t in ids[5:]]
    for x, y in zip(a, b):
        assert float((x - y).abs().max()) <= 0.05 * float(x.abs().max())
    with pytest.raises(ValueError):
        FastLlama(model, quantize="int4")


def test_default_model_answers_the_same_with_int8_weights(chat_model):
    """The first greedy words of a short factual answer survive int8 rounding."""
    from engine.chat.fast_llama import fast_decoder
    from engine.chat.generate import GenerationSettings, generate

    messages = [{"role": "user", "content": "What is the capital of France? Answer in one sentence."}]
    settings = GenerationSettings(max_new_tokens=12)
    try:
        plain = generate(chat_model, messages, settings)
        chat_model.quantize = "int8"
        fast = fast_decoder(chat_model)
        assert fast is not None and fast.quantize == "int8"
        q8 = generate(chat_model, messages, settings)
    finally:
        chat_model.quantize = None
    assert "Paris" in q8.text and q8.token_ids[:4] == plain.token_ids[:4]
    assert fast_decoder(chat_model).quantize is None  # switching back rebuilds the float32 weights


def test_chat_command_quantize_int8(chat_model, capsys):
    code = main.main(["chat", "--model", str(chat_model.folder), "--quantize", "int8", "--prompt",
                      "What is the capital of France?", "--max-new-tokens", "12"])
    out, err = capsys.readouterr()
    assert code == 0 and "Paris" in out and "(int8 weights)" in err
