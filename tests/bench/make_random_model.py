"""Write a chat model folder with the architecture of another one and seeded random weights.

Run: ``python tests/bench/make_random_model.py SOURCE_FOLDER OUT_FOLDER``. SOURCE_FOLDER
needs only the config and tokenizer files (no weights). Used where the real weights
cannot travel (the GPU machine takes at most 64 MiB of files; the default chat model
is 98 MB): decode speed depends on the shapes, not on the values, so speed figures
measured on such a copy hold for the real model; the replies are gibberish.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja",
                   "generation_config.json", "vocab.json", "merges.txt")


def make(source: Path, out: Path, seed: int = 0) -> Path:
    """Write ``out`` (config, tokenizer files, random safetensors weights); return it."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    torch.manual_seed(seed)
    config = AutoConfig.from_pretrained(source, local_files_only=True)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    for name in TOKENIZER_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, out / name)
    return out


if __name__ == "__main__":
    print(make(Path(sys.argv[1]), Path(sys.argv[2])))
