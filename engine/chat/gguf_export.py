"""Chat models out to LM Studio, Ollama and llama.cpp: a llama-family model (a fine-tuned
run's adapter merged in) written as one GGUF file with its tokenizer and chat template.

Written with the ``gguf`` package (llama.cpp's own writer) the way llama.cpp's
``convert_hf_to_gguf.py`` writes a llama model: tensor names from
``gguf.get_tensor_name_map``, the query and key projections permuted into llama.cpp's
rotary layout, the byte-pair tokenizer as ``gpt2`` tokens, types and merges, special
token ids and the chat template from ``gguf.SpecialVocab``. Matrices are ``f16`` (half
the bytes of float32, no other loss) or ``q8_0`` (blocks of 32 weights, one scale
each: about a quarter of float32); norms stay float32. The file is written under a
temporary name and renamed when complete.

It reads back through the same GGUF reader the default model comes through
(:func:`engine.chat.model.convert_gguf`, transformers' GGUF loader): tested to give
the same greedy reply (f16) and nearly the same logits (q8_0).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from engine.chat.model import ChatModel, ChatModelError
from engine.events import Log, Progress, Reporter, ignore
from engine.messages import msg

QUANTS = ("f16", "q8_0")
#: GGUF ``general.file_type`` of each choice (llama.cpp's LLAMA_FTYPE values)
_FILE_TYPE = {"f16": 1, "q8_0": 7}


def _permute(w, n_head: int):
    """llama.cpp's rotary layout of a query/key projection (``convert_hf_to_gguf.LlamaModel.permute``)."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _tokenizer_pre(folder: Path) -> str:
    """The ``tokenizer.ggml.pre`` of the GGUF the model came from (the default model's
    ``smollm``), else ``default``."""
    import gguf

    try:
        source = json.loads((folder / "tessera_source.json").read_text(encoding="utf-8"))["gguf"]
        field = gguf.GGUFReader(source).fields.get("tokenizer.ggml.pre")
        return str(field.contents()) if field is not None else "default"
    except (OSError, KeyError, ValueError, TypeError):
        return "default"


def _vocab(tokenizer) -> tuple[list[str], list[int]]:
    """Return the tokens in id order and their GGUF token types (control for special ones)."""
    import gguf

    vocab = tokenizer.get_vocab()
    n = max(vocab.values()) + 1
    tokens = [f"[PAD{i}]" for i in range(n)]
    types = [gguf.TokenType.UNUSED] * n
    special = set(tokenizer.all_special_tokens) | {t.content for t in tokenizer.added_tokens_decoder.values()
                                                    if getattr(t, "special", False)}
    for tok, i in vocab.items():
        tokens[i] = tok
        types[i] = gguf.TokenType.CONTROL if tok in special else gguf.TokenType.NORMAL
    return tokens, [int(t) for t in types]


def export_gguf(chat: ChatModel, out_file: str | Path, *, quant: str = "f16", report: Reporter = ignore) -> Path:
    """Write ``chat`` (a loaded llama-family model; an adapter is already merged by
    :func:`engine.chat.model.load_chat_model`) to ``out_file`` as GGUF; return the path.

    Raises:
        ChatModelError: an unknown ``quant``, a model that is not llama-family, a model
            without a byte-pair tokenizer, or ``out_file`` cannot be written.
    """
    import gguf
    import numpy as np
    import torch

    if quant not in QUANTS:
        raise ChatModelError(msg("GGUF export writes {choices}, not {quant}.", choices=" or ".join(QUANTS),
                                 quant=repr(quant)))
    model, tokenizer = chat.model, chat.tokenizer
    cfg = model.config
    if cfg.model_type not in ("llama", "mistral") or getattr(model, "lm_head", None) is None:
        raise ChatModelError(msg("GGUF export supports llama-family models (Llama, SmolLM2, Mistral); {model} is a "
                                 "{type} model. Export it as a model folder instead.",
                                 model=chat.name, type=repr(cfg.model_type)))
    tokenizer_json = chat.folder / "tokenizer.json"
    if not tokenizer_json.is_file() or json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]["type"] != "BPE":
        raise ChatModelError(msg("{model} has no byte-pair tokenizer.json, which GGUF export needs.", model=chat.name))
    out = Path(out_file).expanduser()
    if out.suffix.lower() != ".gguf":
        out = out.with_suffix(".gguf")
    if not out.parent.is_dir():
        raise ChatModelError(msg("The folder {folder} does not exist.", folder=out.parent))

    heads = cfg.num_attention_heads
    kv_heads = getattr(cfg, "num_key_value_heads", None) or heads
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // heads
    n_blocks = cfg.num_hidden_layers
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    report(Log(msg("Writing {file} ({quant}) for llama.cpp, LM Studio and Ollama.", file=out.name, quant=quant)))
    writer = gguf.GGUFWriter(str(tmp), "llama")
    try:
        writer.add_name(chat.name)
        writer.add_context_length(int(cfg.max_position_embeddings))
        writer.add_embedding_length(int(cfg.hidden_size))
        writer.add_block_count(n_blocks)
        writer.add_feed_forward_length(int(cfg.intermediate_size))
        writer.add_head_count(heads)
        writer.add_head_count_kv(kv_heads)
        writer.add_rope_freq_base(float(getattr(cfg, "rope_theta", None)
                                        or (getattr(cfg, "rope_parameters", None) or {}).get("rope_theta", 10000.0)))
        writer.add_layer_norm_rms_eps(float(cfg.rms_norm_eps))
        writer.add_vocab_size(int(cfg.vocab_size))
        writer.add_rope_dimension_count(head_dim)
        writer.add_file_type(_FILE_TYPE[quant])
        tokens, types = _vocab(tokenizer)
        writer.add_tokenizer_model("gpt2")
        writer.add_tokenizer_pre(_tokenizer_pre(chat.folder))
        writer.add_token_list(tokens)
        writer.add_token_types(types)
        special = gguf.SpecialVocab(chat.folder, load_merges=True, n_vocab=len(tokens))
        if tokenizer.chat_template and not special.chat_template:
            special.chat_template = tokenizer.chat_template
        special.add_to_gguf(writer)

        names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, n_blocks)
        state = model.state_dict()
        tied = bool(getattr(cfg, "tie_word_embeddings", False))
        qtype = gguf.GGMLQuantizationType.F16 if quant == "f16" else gguf.GGMLQuantizationType.Q8_0
        items = [(k, v) for k, v in state.items() if not (tied and k == "lm_head.weight")
                 and not k.endswith("rotary_emb.inv_freq")]
        for done, (name, tensor) in enumerate(items, 1):
            new = names.get_name(name, try_suffixes=(".weight", ".bias"))
            if new is None:
                raise ChatModelError(msg("GGUF export: the tensor {name} has no llama.cpp name.", name=name))
            data = tensor.detach().to(torch.float32).cpu().numpy()
            if name.endswith("q_proj.weight"):
                data = _permute(data, heads)
            elif name.endswith("k_proj.weight"):
                data = _permute(data, kv_heads)
            if data.ndim == 1:
                writer.add_tensor(new, data.astype(np.float32))
            elif qtype == gguf.GGMLQuantizationType.F16:
                writer.add_tensor(new, data.astype(np.float16))
            else:
                writer.add_tensor(new, gguf.quants.quantize(data, qtype), raw_dtype=qtype)
            report(Progress("Writing GGUF", done, len(items), "tensors"))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(tmp, out)
    except OSError as exc:
        raise ChatModelError(msg("{path} cannot be written ({reason}).", path=out, reason=str(exc))) from None
    finally:
        writer.close()
        if tmp.exists():
            tmp.unlink()
    return out
