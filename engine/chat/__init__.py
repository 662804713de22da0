"""Chat: load a causal LM, stream replies, fine-tune it on chat examples with LoRA."""
