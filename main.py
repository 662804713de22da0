"""Tessera: label entities, fine-tune a model, and test it — offline.

``python main.py`` opens the app (the last project, or the demo project on first
launch). Subcommands run the same engine functions headless; each has ``--help``:

    python main.py init PROJECT
    python main.py import PROJECT FILE [--format auto|conll|jsonl|labelstudio|text|csv]
                                       [--status done|new] [--split train|dev|test]
                                       [--label-column NAME]
    python main.py export PROJECT FILE|DIR [--format ...|parquet] [--status done|new|skipped] [--predictions]
    python main.py import-chat PROJECT FILE [--format auto|messages|alpaca|human-assistant]
                                            [--split train|dev|test]
    python main.py stats PROJECT
    python main.py train PROJECT [--task entities|categories] [--base-model PATH|default] [--epochs N]
                                 [--batch-size N] [--lr X] [--max-steps N] [--patience N] [--out DIR] [--resume RUN]
    python main.py sft PROJECT [--base-model PATH|default] [--epochs N] [--max-steps N] [--lr X]
                               [--batch-size N] [--lora-r N] [--max-length N] [--patience N] [--seed N]
                               [--out DIR] [--resume RUN] [--export-merged DIR]
                               [--export-gguf FILE] [--quant f16|q8_0] [--pack]
    python main.py chat [--model PATH|default] [--adapter DIR] [--prompt TEXT] [--system TEXT]
                        [--max-new-tokens N] [--temperature X] [--top-p X] [--top-k N] [--seed N]
                        [--quantize int8]
    python main.py predict MODEL_DIR INPUT OUTPUT [--format conll|jsonl]   (tagger or classifier folder)
    python main.py evaluate MODEL_DIR GOLD_FILE
    python main.py suggest PROJECT MODEL_DIR [--status new|done|skipped|all] [--min-score X]
    python main.py queue PROJECT [MODEL_DIR] [--n N] [--strategy uncertainty|random] [--seed N]
    python main.py review PROJECT MODEL_DIR [--n N] [--min-confidence X] [--split train|dev|test]
    python main.py kernels [--arch sm_80|sm_90]
    python main.py gui [PROJECT]

Exit code 0 on success, 1 with a one-line message on a user error, 130 when
interrupted with Ctrl+C (nothing half-written is left behind).
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FORMAT_CHOICES = ["auto", "conll", "iob", "jsonl", "labelstudio", "text", "csv"]


def _progress_reporter(desc: str):
    """Return ``(report, close)``: a reporter drawing a tqdm bar from Progress events."""
    from tqdm import tqdm

    from engine.events import Log, Progress

    bar = None

    def report(event) -> None:
        nonlocal bar
        if isinstance(event, Progress):
            if bar is None:
                bar = tqdm(total=event.total or None, desc=desc, unit=f" {event.unit}", unit_scale=True,
                           disable=None, leave=False, dynamic_ncols=True)
            bar.total = event.total or None
            bar.n = event.done
            bar.refresh()
        elif isinstance(event, Log):
            (bar.write if bar else print)(event.message)

    def close() -> None:
        if bar is not None:
            bar.close()

    return report, close


def cmd_init(args) -> int:
    from engine.store import Project

    Project.create(args.project).close()
    print(f"Created {args.project}")
    return 0


def cmd_import(args) -> int:
    from engine.importer import import_file
    from engine.store import Project

    options = {}
    if args.text_column:
        options["text_column"] = args.text_column
    if args.mode:
        options["mode"] = args.mode
    if args.scheme:
        options["scheme"] = args.scheme
    for name in ("token_column", "tag_column", "delimiter", "label_column"):
        if getattr(args, name, None) is not None:
            options[name] = getattr(args, name)
    report, close = _progress_reporter("Importing")
    with Project.open(args.project) as project:
        try:
            summary = import_file(project, args.file, args.format, status=args.status, split=args.split,
                                  strict=args.strict, max_doc_chars=args.max_doc_chars, report=report, **options)
        finally:
            close()
    print(summary)
    shown = summary.notes[:20]
    for line in shown:
        print("  " + line)
    if len(summary.notes) > len(shown):
        print(f"  ... and {len(summary.notes) - len(shown):,} more in {summary.report_path}")
    return 0


def cmd_split(args) -> int:
    from engine.ner.data import assign_splits
    from engine.scores import DEV_TARGET
    from engine.store import Project

    with Project.open(args.project) as project:
        added = assign_splits(project, seed=args.seed)
        rows = project.conn.execute(
            "SELECT coalesce(d.split, 'none'), count(DISTINCT d.id), count(s.id) FROM documents d"
            " LEFT JOIN spans s ON s.doc_id = d.id AND s.source = 'human' WHERE d.status = 'done' GROUP BY d.split"
        ).fetchall()
    if added:
        print("Split the finished documents that had no split: " + ", ".join(f"{n:,} to {k}" for k, n in added.items())
              + ". Splits already stored were not moved.")
    else:
        print("Every finished document already has a split; nothing was moved.")
    for split, docs, ents in rows:
        print(f"  {split:<6}{docs:>8,} documents{ents:>8,} entities")
    dev = next((e for s, _, e in rows if s == "dev"), 0)
    if dev < DEV_TARGET:
        print(f"The dev split holds {dev} entities: its scores will be rough (under {DEV_TARGET}). "
              "Label more documents, or move some to dev with the document list.")
    return 0


def cmd_durability(args) -> int:
    from engine.store import Project

    with Project.open(args.project) as project:
        if args.level:
            project.set_durability(args.level)
        level = project.get_setting("durability", "normal")
    print(f"{args.project}: durability {level} ("
          + ("every commit is on disk before it returns" if level == "full"
             else "a killed process loses nothing; a power cut may lose the last few edits") + ").")
    return 0


def cmd_repair(args) -> int:
    from engine.store import repair_copy, schema_problems

    import sqlite3

    conn = sqlite3.connect(f"file:{args.project}?mode=ro", uri=True)
    try:
        problems = [p[2] for p in schema_problems(conn)]
    finally:
        conn.close()
    if not problems:
        print(f"{args.project} holds nothing Tessera did not write; no copy needed.")
        return 0
    target = repair_copy(args.project)
    print(f"Wrote {target} without: {', '.join(problems)}. The original file is unchanged.")
    return 0


def cmd_export(args) -> int:
    from engine.exporter import export_file
    from engine.store import Project

    report, close = _progress_reporter("Exporting")
    if args.format == "parquet":
        from engine.dataset_export import export_parquet

        with Project.open(args.project) as project:
            try:
                counts = export_parquet(project, args.file, status=args.status or "done", report=report)
            finally:
                close()
        print(f"Wrote {sum(counts.values()):,} documents to {args.file} ("
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + ") with a dataset card (README.md)")
        return 0
    with Project.open(args.project) as project:
        try:
            n = export_file(project, args.file, args.format, status=args.status, report=report,
                            predictions=args.predictions, scheme=args.scheme, style=args.style, mode=args.mode)
        finally:
            close()
    print(f"Wrote {n:,} documents to {args.file}")
    return 0


def cmd_import_chat(args) -> int:
    from engine.chat.importer import import_chat_file
    from engine.store import Project

    report, close = _progress_reporter("Importing")
    with Project.open(args.project) as project:
        try:
            summary = import_chat_file(project, args.file, format=args.format, split=args.split, report=report)
        finally:
            close()
    print(f"Added {summary.added:,} chat examples ({summary.skipped:,} already in the project).")
    return 0


def cmd_stats(args) -> int:
    from engine.chat.examples import split_counts
    from engine.store import Project

    with Project.open(args.project) as project:
        s = project.stats()
        chat = {k or "unsplit": n for k, n in split_counts(project).items()}
        cats = project.category_counts()
    print(f"{args.project}")
    print(f"  documents  {s.documents:>9,}   tokens {s.tokens:,}")
    for k, v in s.by_status.items():
        print(f"    {k:<9}{v:>9,}")
    print("  split      " + ", ".join(f"{k} {v:,}" for k, v in s.by_split.items()))
    print(f"  entities   {s.spans:>9,}")
    for name, n in s.spans_by_label.items():
        print(f"    {name:<20}{n:>9,}")
    if cats:
        print(f"  categories {sum(cats.values()):>9,}")
        for name, n in cats.items():
            print(f"    {name:<20}{n:>9,}")
    parts = [f"{k} {chat.get(k, 0):,}" for k in ("train", "dev", "test", "unsplit") if k != "test" or chat.get(k)]
    print(f"  Chat examples: {sum(chat.values()):,} ({', '.join(parts)})")
    return 0


def _run_pausable(command: str, args, run, bar_report, close):
    """Run ``run(cancel)`` (a training job) so that the first Ctrl+C pauses it at the
    next step with a resumable checkpoint and a second one interrupts at once.

    Returns ``(result, None)`` when it finished, or ``(None, 130)`` after a pause (the
    message with the ``--resume`` command is printed on stderr).
    """
    import signal

    from engine.events import Cancelled, CancelToken, Log

    cancel = CancelToken()

    def on_sigint(signum, frame) -> None:
        cancel.cancel()
        bar_report(Log("Stopping after this step (Ctrl+C again to quit at once)..."))
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signal.signal(signal.SIGINT, on_sigint)
    try:
        return run(cancel), None
    except Cancelled as exc:
        close()
        run_id = getattr(exc, "run_id", None)
        hint = f" Continue with: python main.py {command} {args.project} --resume {run_id}" if run_id else ""
        print(f"{exc}{hint}", file=sys.stderr)
        return None, 130
    finally:
        close()
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _run_task(project: str, run_id: int) -> str:
    """Return ``entities`` or ``categories``: what run ``run_id`` of ``project`` trains."""
    from engine.ner import runs
    from engine.store import Project

    with Project.open(project) as p:
        return "categories" if runs.get_run(p, run_id).kind == "textcat" else "entities"


def cmd_train(args) -> int:
    from engine.events import Log, Metric
    from engine.ner.train import TrainConfig

    task = _run_task(args.project, args.resume) if args.resume else args.task
    if task == "categories":
        from engine.textcat.files import format_report
        from engine.textcat.train import resume, train
        score = "dev macro-F1"
    else:
        from engine.ner.files import format_report
        from engine.ner.train import resume, train
        score = "dev F1"
    bar_report, close = _progress_reporter("Training")
    last = {}

    def report(event) -> None:
        if isinstance(event, Metric):
            if event.name in ("dev/f1", "train/loss", "dev/loss", "dev/accuracy"):
                last[event.name] = event.value
                if event.name == "dev/f1":
                    acc = f"  accuracy {last['dev/accuracy']:.3f}" if "dev/accuracy" in last else ""
                    bar_report(Log(f"step {event.step:>6}  epoch {event.epoch:5.2f}  "
                                   f"{score} {event.value:.3f}{acc}  dev loss {last.get('dev/loss', float('nan')):.4f}"))
            return
        bar_report(event)

    if args.resume:
        job = lambda cancel: resume(args.project, args.resume, report=report, cancel=cancel)  # noqa: E731
    else:
        cfg = TrainConfig(base_model=args.base_model, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                          max_steps=args.max_steps, patience=args.patience, seed=args.seed, out_dir=args.out)
        job = lambda cancel: train(args.project, cfg, report=report, cancel=cancel)  # noqa: E731
    result, paused = _run_pausable("train", args, job, bar_report, close)
    if paused:
        return paused
    if int(os.environ.get("RANK", "0")) == 0:
        print(f"Run {result.run_id}: best {score} {result.best_f1:.3f} at step {result.best_step:,} "
              f"of {result.steps:,}; model in {result.best_dir}")
        if result.report:
            print(format_report(result.report))
    return 0


def cmd_sft(args) -> int:
    from pathlib import Path

    from engine.chat.sft import SftConfig, check_export_dir, export_gguf_file, export_merged, resume, train
    from engine.errors import TesseraError
    from engine.events import Finished, Metric

    if args.export_merged:
        check_export_dir(args.export_merged)  # before training, not after it
    if args.export_gguf and not Path(args.export_gguf).expanduser().parent.is_dir():
        raise TesseraError(f"The folder {Path(args.export_gguf).expanduser().parent} does not exist; "
                           "choose where to write the GGUF file.")
    bar_report, close = _progress_reporter("Fine-tuning")
    dev0 = {}

    def report(event) -> None:
        if isinstance(event, Metric):
            if event.name == "dev/loss" and event.step == 0:
                dev0["loss"] = event.value
            return
        if not isinstance(event, Finished):  # the summary below says it
            bar_report(event)

    if args.resume:
        job = lambda cancel: resume(args.project, args.resume, report=report, cancel=cancel)  # noqa: E731
    else:
        cfg = SftConfig(base_model=args.base_model, epochs=args.epochs, max_steps=args.max_steps, lr=args.lr,
                        batch_size=args.batch_size, lora_r=args.lora_r, max_length=args.max_length,
                        patience=args.patience, seed=args.seed, out_dir=args.out, pack=args.pack)
        job = lambda cancel: train(args.project, cfg, report=report, cancel=cancel)  # noqa: E731
    result, paused = _run_pausable("sft", args, job, bar_report, close)
    if paused:
        return paused
    if int(os.environ.get("RANK", "0")) != 0:
        return 0  # under torchrun rank 0 speaks and exports
    before = f" (before training {dev0['loss']:.4f})" if "loss" in dev0 else ""
    print(f"Run {result.run_id}: best dev loss {result.best_loss:.4f}{before} at step {result.best_step:,} "
          f"of {result.steps:,}{', stopped early' if result.stopped_early else ''}; adapter in {result.best_dir}")
    if args.export_merged:
        export_report, close_export = _progress_reporter("Exporting")
        try:
            out = export_merged(result.best_dir, args.export_merged, report=export_report)
        finally:
            close_export()
        print(f"Wrote the merged model to {out}")
    if args.export_gguf:
        export_report, close_export = _progress_reporter("Writing GGUF")
        try:
            out = export_gguf_file(result.best_dir, args.export_gguf, quant=args.quant, report=export_report)
        finally:
            close_export()
        print(f"Wrote {out} ({args.quant}) for llama.cpp, LM Studio and Ollama")
    return 0


def _stderr_reporter(desc: str):
    """Return ``(report, close)`` like :func:`_progress_reporter`, with log lines on stderr too
    (so that stdout carries only what the command writes, e.g. a chat reply)."""
    from engine.events import Log

    bar_report, close = _progress_reporter(desc)

    def report(event) -> None:
        if isinstance(event, Log):
            print(event.message, file=sys.stderr)
        else:
            bar_report(event)

    return report, close


def cmd_chat(args) -> int:
    import signal
    import threading
    import time

    from engine.chat.generate import GenerationSettings, _Run, prepare, stream
    from engine.chat.model import load_chat_model
    from engine.events import CancelToken

    for bad, what in ((args.max_new_tokens < 1, "--max-new-tokens must be at least 1"),
                      (args.temperature < 0, "--temperature must be 0 or more"),
                      (not 0 < args.top_p <= 1, "--top-p must be more than 0 and at most 1"),
                      (args.top_k < 0, "--top-k must be 0 (off) or more")):
        if bad:
            print(f"error: {what}.", file=sys.stderr)
            return 1
    settings = GenerationSettings(max_new_tokens=args.max_new_tokens, temperature=args.temperature,
                                  top_p=args.top_p, top_k=args.top_k, seed=args.seed)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a console that cannot show a character gets "?"
    report, close = _stderr_reporter("Loading")
    t0 = time.perf_counter()
    print(f"Loading chat model {args.model}{' with adapter ' + args.adapter if args.adapter else ''}...",
          file=sys.stderr, flush=True)
    try:
        chat = load_chat_model(args.model, adapter=args.adapter, report=report)
        chat.quantize = args.quantize
        fast = prepare(chat)
    finally:
        close()
    how = ""
    if args.quantize and fast:
        how = " (int8 weights)"
    elif args.quantize:
        from engine.chat.fast_llama import unsupported_reason

        how = (f" (int8 needs the lean llama decoder, which this model cannot use: "
               f"{unsupported_reason(chat.model)}; it runs unquantized)")
    print(f"Loaded {chat.name} in {time.perf_counter() - t0:.1f} s{how}.", file=sys.stderr, flush=True)
    history = [{"role": "system", "content": args.system}] if args.system else []

    def reply() -> None:
        """Stream the answer to ``history``; Ctrl+C stops it (kept, as far as it got)."""
        cancel, run = CancelToken(), _Run()
        main_thread = threading.current_thread() is threading.main_thread()
        if main_thread:
            signal.signal(signal.SIGINT, lambda signum, frame: cancel.cancel())
        try:
            for piece in stream(chat, history, settings, cancel=cancel, result=run):
                print(piece, end="", flush=True)
        finally:
            if main_thread:
                signal.signal(signal.SIGINT, signal.default_int_handler)
        print(flush=True)
        r = run.reply
        stopped = " (stopped)" if r.stopped_by == "cancel" else ""
        print(f"{r.tokens} tokens, {r.tokens_per_s:.1f} tok/s, first token after {r.ttft_s * 1000:.0f} ms{stopped}",
              file=sys.stderr, flush=True)
        history.append({"role": "assistant", "content": r.text})

    if args.prompt is not None:
        history.append({"role": "user", "content": args.prompt})
        reply()
        return 0
    interactive = sys.stdin.isatty()
    if interactive:
        print("Type a message and press Enter; /exit or Ctrl+D quits, Ctrl+C stops a reply.", file=sys.stderr)
    try:
        while True:
            if interactive:
                print("> ", end="", file=sys.stderr, flush=True)
            line = sys.stdin.readline()
            if not line or line.strip() == "/exit":
                break
            if not line.strip():
                continue
            history.append({"role": "user", "content": line.rstrip("\r\n")})
            reply()
    except KeyboardInterrupt:  # Ctrl+C at the prompt: leave quietly
        print(file=sys.stderr)
    return 0


def cmd_predict(args) -> int:
    from engine.textcat.predict import is_classifier_folder

    if is_classifier_folder(args.model_dir):
        from engine.textcat.files import predict_file

        report, close = _progress_reporter("Classifying")
        try:
            n = predict_file(args.model_dir, args.input, args.output, report=report)
        finally:
            close()
        print(f"Classified {n:,} documents; wrote {args.output}")
        return 0
    from engine.ner.files import predict_file

    report, close = _progress_reporter("Tagging")
    try:
        n = predict_file(args.model_dir, args.input, args.output, args.format, report=report)
    finally:
        close()
    print(f"Tagged {n:,} documents; wrote {args.output}")
    return 0


def cmd_evaluate(args) -> int:
    from engine.textcat.predict import is_classifier_folder

    classifier = is_classifier_folder(args.model_dir)
    if classifier:
        from engine.textcat.files import evaluate_file, format_report
    else:
        from engine.ner.files import evaluate_file, format_report
    report, close = _progress_reporter("Evaluating")
    try:
        scores = evaluate_file(args.model_dir, args.gold_file, report=report)
    finally:
        close()
    if not classifier:
        print(f"{args.gold_file}: {scores['sentences']:,} sentences")
    print(format_report(scores))
    return 0


def _tagger_for(project, model_dir: str):
    """Load ``model_dir`` as a tagger (a run folder's ``best``, any tagger folder, or
    ``latest`` for the project's newest tagger run); return ``(tagger, run id or None)``.

    Raises:
        TesseraError: no such model, or it is a document classifier.
    """
    from engine.errors import TesseraError
    from engine.loop.suggest import is_classifier, latest_tagger_run

    if model_dir == "latest":
        found = latest_tagger_run(project)
        if found is None:
            raise TesseraError(f"{project.path.name} has no trained tagger yet: train one first (main.py train).")
        model_dir = str(found[1])
    model, run_id = _model_for(project, model_dir)
    if is_classifier(model):
        raise TesseraError(f"{model_dir} is a document classifier; this command needs a tagger.")
    return model, run_id


def _model_for(project, model_dir: str):
    """Load ``model_dir`` for suggestions: a tagger or document-classifier folder, or
    ``latest`` (the newest tagger, or classifier in a project with categories only);
    return ``(model, run id or None)``.

    Raises:
        TesseraError: no such model.
    """
    from engine.errors import TesseraError
    from engine.loop.suggest import latest_model_run, load_model, run_of_folder

    if model_dir == "latest":
        found = latest_model_run(project)
        if found is None:
            raise TesseraError(f"{project.path.name} has no trained model yet: train one first (main.py train).")
        run_id, folder, _desc = found
        return load_model(folder), run_id
    return load_model(model_dir), run_of_folder(project, model_dir)


def cmd_suggest(args) -> int:
    from engine.loop.suggest import suggest
    from engine.store import Project

    with Project.open(args.project) as project:
        tagger, run_id = _model_for(project, args.model_dir)
        report, close = _progress_reporter("Suggesting")
        try:
            summary = suggest(project, tagger, run_id=run_id, status=None if args.status == "all" else args.status,
                              min_score=args.min_score, report=report)
        finally:
            close()
    print(summary)
    return 0


def cmd_queue(args) -> int:
    from engine.loop.queue import label_queue
    from engine.loop.suggest import suggest
    from engine.store import Project

    with Project.open(args.project) as project:
        if args.model_dir and args.strategy == "uncertainty":  # score the new documents first
            tagger, run_id = _model_for(project, args.model_dir)
            report, close = _progress_reporter("Scoring")
            try:
                suggest(project, tagger, run_id=run_id, status="new", report=report)
            finally:
                close()
        ids = label_queue(project, order=args.strategy, n=args.n, seed=args.seed)
        scores = project.uncertainty(ids)
        for d in ids:
            row = project.document_rows([d])[0]
            score = f"{scores[d]:.3f}" if d in scores else "-"
            print(f"{d}\t{score}\t{' '.join(row.preview.split())[:70]}")
    return 0


def cmd_review(args) -> int:
    from engine.loop.review import likely_mistakes
    from engine.store import Project

    with Project.open(args.project) as project:
        tagger, _ = _tagger_for(project, args.model_dir)
        report, close = _progress_reporter("Reviewing")
        try:
            found = likely_mistakes(project, tagger, n=args.n, min_confidence=args.min_confidence, split=args.split,
                                    report=report)
        finally:
            close()
    for m in found:
        print(m)
    print(f"{len(found)} likely mistake(s)" + (" (the most confident first)" if found else ""))
    return 0


def cmd_kernels(args) -> int:
    from engine.kernels.gpu import current_arch, gpu_reason
    from engine.kernels.selfcheck import check_on_gpu, compile_all

    why = gpu_reason()
    arch = args.arch or (current_arch() if why is None else "sm_90")
    statuses = compile_all(arch)
    if why is None:
        check_on_gpu(statuses)
    else:
        print(f"No kernel is run against its reference here: {why}. Compiling only.")
    for s in statuses:
        if s.ok:
            print(f"{s.name:<20} {s.arch}  compiled in {s.seconds:.2f} s, {s.size / 1024:.1f} KiB"
                  + (f"; {s.check}" if s.check else ""))
        else:
            print(f"{s.name:<20} {s.arch}  FAILED: {s.error or s.check}")
    failed = [s.name for s in statuses if not s.ok]
    print(f"{len(statuses) - len(failed)} of {len(statuses)} kernels ok" + (f"; failed: {', '.join(failed)}"
                                                                          if failed else ""))
    return 1 if failed else 0


def cmd_gui(args) -> int:
    from gui.app import run

    return run(getattr(args, "project", None))


def add_no_kernels(s: argparse.ArgumentParser) -> None:
    """Give a command that may run on a GPU the ``--no-kernels`` switch."""
    s.add_argument("--no-kernels", action="store_true",
                   help="run the plain torch code instead of Tessera's CUDA kernels (matters only on a GPU)")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand (the README lists each one)."""
    p = argparse.ArgumentParser(prog="tessera", description="Label entities, fine-tune a model, test it. Offline.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("init", help="create a new, empty project file")
    s.add_argument("project", metavar="PROJECT", help="path of the new .tessera file")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("import", help="import documents (and their entities) from a file")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--format", default="auto", choices=FORMAT_CHOICES, help="file format (default: from the name and content)")
    s.add_argument("--status", choices=["done", "new"], help="mark every imported document done (labeled) or new; "
                   "default: done when the file carries labels for it")
    s.add_argument("--split", choices=["train", "dev", "test"], help="put every imported document in this split")
    s.add_argument("--label-column", metavar="NAME", help="csv: the column holding each document's category "
                   "(default: label, category, intent or class if there is one; 'none' for no category)")
    s.add_argument("--text-column", help="csv: the column holding the text")
    s.add_argument("--mode", choices=["line", "paragraph"], help="text: one document per line (default) or per paragraph")
    s.add_argument("--scheme", choices=["bio", "iob1", "iobes", "bmes"], help="conll: tagging scheme (default: detected)")
    s.add_argument("--token-column", type=int, metavar="N", help="conll: the column holding the tokens (1 = first; "
                   "default: found from the content)")
    s.add_argument("--tag-column", type=int, metavar="N", help="conll: the column holding the entity tags "
                   "(default: found from the content)")
    s.add_argument("--delimiter", help="csv: the field separator (default: guessed; 'tab' for a tab)")
    s.add_argument("--strict", action="store_true", help="refuse the file when a record has overlapping entities "
                   "(default: keep the longer one and list the change)")
    s.add_argument("--max-doc-chars", type=int, default=1_000_000, metavar="N",
                   help="refuse a file with a document longer than N characters (default 1,000,000)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("split", help="give finished documents without a split one (dev and test 10%% each), "
                       "as training does, and show what each split holds; stored splits never move")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("--seed", type=int, default=0)
    s.set_defaults(func=cmd_split)

    s = sub.add_parser("durability", help="show or set how edits are written to disk: normal (fast; a power cut "
                       "may lose the last few edits) or full (every edit on disk at once)")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("level", nargs="?", choices=["normal", "full"])
    s.set_defaults(func=cmd_durability)

    s = sub.add_parser("repair", help="write a copy of a project without database code Tessera did not write "
                       "(triggers, views) that made it refuse to open the project")
    s.add_argument("project", metavar="PROJECT")
    s.set_defaults(func=cmd_repair)

    s = sub.add_parser("export", help="export documents and entities to a file (or a Parquet dataset folder)")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("file", metavar="FILE", help="the file to write; with --format parquet, a new folder")
    s.add_argument("--format", default="auto", choices=FORMAT_CHOICES + ["parquet"],
                   help="file format (default: from the extension); parquet: a Hugging Face datasets folder "
                        "(train/validation/test Parquet files and a dataset card)")
    s.add_argument("--status", choices=["done", "new", "skipped"],
                   help="only documents with this status (parquet: done unless given)")
    s.add_argument("--scheme", choices=["bio", "iob1", "iobes", "bmes"], help="conll: tagging scheme (default: the "
                   "scheme each document was imported with, else bio)")
    s.add_argument("--style", choices=["prodigy", "doccano", "spacy"],
                   help="jsonl: Prodigy (default), doccano or spaCy (ents and cats) style")
    s.add_argument("--mode", choices=["line", "paragraph"], help="text: one document per line or per paragraph")
    s.add_argument("--predictions", action="store_true",
                   help="also write the model's suggestions, with scores: Label Studio predictions, or "
                        "unanswered ner.teach questions in Prodigy JSONL (never as entities)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("import-chat", help="import chat examples (OpenAI/ShareGPT messages, Alpaca, "
                       "### Human:/### Assistant: text) to fine-tune the chat model on")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--format", default="auto", choices=["auto", "messages", "alpaca", "human-assistant"],
                   help="chat file format (default: from the content)")
    s.add_argument("--split", choices=["train", "dev", "test"], help="put every imported example in this split "
                   "(default: none; training picks a dev set)")
    s.set_defaults(func=cmd_import_chat)

    s = sub.add_parser("stats", help="print document, status, entity and chat example counts")
    s.add_argument("project", metavar="PROJECT")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("train", help="fine-tune an entity tagger (or, with --task categories, a document "
                       "classifier) on the project's done documents")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("--task", choices=["entities", "categories"], default="entities",
                   help="what to learn: entities (a tagger; default) or the documents' categories (a classifier)")
    s.add_argument("--base-model", default="default", metavar="PATH|default",
                   help="a local Hugging Face model folder, or default (all-MiniLM-L6-v2)")
    s.add_argument("--epochs", type=float, help="passes over the training data (default: chosen from its size)")
    s.add_argument("--batch-size", type=int, help="most sentences per batch (default: chosen from the data)")
    s.add_argument("--lr", type=float, help="peak learning rate (default: chosen from the data size)")
    s.add_argument("--max-steps", type=int, help="stop after this many optimizer steps")
    s.add_argument("--patience", type=int, default=3, help="evaluations without a better dev F1 before stopping")
    s.add_argument("--seed", type=int, default=0, help="random seed (same seed, same model on CPU)")
    s.add_argument("--out", metavar="DIR", help="folder for run folders (default: PROJECT.runs beside the project)")
    s.add_argument("--resume", type=int, metavar="RUN", help="continue a stopped run from its last checkpoint")
    add_no_kernels(s)
    s.set_defaults(func=cmd_train)

    s = sub.add_parser("sft", help="fine-tune the chat model on the project's chat examples (LoRA)")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("--base-model", default="default", metavar="PATH|default",
                   help="a local chat model folder (safetensors), or default (SmolLM2-135M-Instruct)")
    s.add_argument("--epochs", type=float, help="passes over the examples (default: chosen from their number)")
    s.add_argument("--max-steps", type=int, help="exactly this many optimizer steps (overrides --epochs)")
    s.add_argument("--lr", type=float, help="peak learning rate (default: chosen from the data size)")
    s.add_argument("--batch-size", type=int, help="conversations per batch (default: chosen from the data)")
    s.add_argument("--lora-r", type=int, default=16, help="LoRA rank (default 16; alpha is twice the rank)")
    s.add_argument("--max-length", type=int, default=512, help="longest example in tokens; longer ones are cut")
    s.add_argument("--patience", type=int, default=3, help="evaluations without a lower dev loss before stopping")
    s.add_argument("--seed", type=int, default=0, help="random seed (same seed, same adapter on CPU)")
    s.add_argument("--out", metavar="DIR", help="folder for run folders (default: PROJECT.runs beside the project)")
    s.add_argument("--resume", type=int, metavar="RUN", help="continue a paused run from its last checkpoint")
    s.add_argument("--export-merged", metavar="DIR",
                   help="when done, also write the base model with the adapter merged in to DIR")
    s.add_argument("--pack", action="store_true", help="pack several short examples into each row of "
                   "--max-length tokens (each attends only to itself)")
    s.add_argument("--export-gguf", metavar="FILE",
                   help="when done, also write the merged model as one GGUF file (llama.cpp, LM Studio, Ollama)")
    s.add_argument("--quant", choices=["f16", "q8_0"], default="f16",
                   help="GGUF weights: f16 (default, no loss beyond half precision) or q8_0 (about half the size)")
    add_no_kernels(s)
    s.set_defaults(func=cmd_sft)

    s = sub.add_parser("chat", help="talk to a chat model in the terminal (one question, or a conversation)")
    s.add_argument("--model", default="default", metavar="PATH|default",
                   help="a local chat model folder (safetensors), or default (SmolLM2-135M-Instruct)")
    s.add_argument("--adapter", metavar="DIR", help="a fine-tuned adapter folder (a chat run's best/ folder)")
    s.add_argument("--prompt", metavar="TEXT", help="answer this one message and exit (default: a conversation "
                   "read line by line from stdin until /exit or end of input)")
    s.add_argument("--system", metavar="TEXT", help="a system message that starts the conversation")
    s.add_argument("--max-new-tokens", type=int, default=256, metavar="N", help="longest reply in tokens (default 256)")
    s.add_argument("--temperature", type=float, default=0.0, metavar="X",
                   help="0 (default) always picks the most likely token; higher values write more varied text")
    s.add_argument("--top-p", type=float, default=1.0, metavar="X", help="sample only from the most likely tokens "
                   "whose probabilities add up to X (default 1 = off)")
    s.add_argument("--top-k", type=int, default=0, metavar="N", help="sample only from the N most likely tokens "
                   "(default 0 = off)")
    s.add_argument("--seed", type=int, metavar="N", help="random seed for sampling (same seed, same reply)")
    s.add_argument("--quantize", choices=["int8"], help="decode with int8 weight-only matrices (a quarter of "
                                                        "float32's weight memory; faster on most CPUs)")
    add_no_kernels(s)
    s.set_defaults(func=cmd_chat)

    s = sub.add_parser("predict", help="tag (or classify) a file with a trained model")
    s.add_argument("model_dir", metavar="MODEL_DIR",
                   help="a run's best/ folder (or any token- or sequence-classification model)")
    s.add_argument("input", metavar="INPUT", help="tagger: CoNLL or JSONL; classifier: CSV/TSV (a text column), "
                   "JSONL (\"text\") or plain text, one document per line")
    s.add_argument("output", metavar="OUTPUT", help="classifier: the same rows with label and score (CSV in, CSV out)")
    s.add_argument("--format", default="auto", choices=["auto", "conll", "jsonl"],
                   help="tagger: format of INPUT and OUTPUT (CoNLL tokens are kept as given)")
    add_no_kernels(s)
    s.set_defaults(func=cmd_predict)

    s = sub.add_parser("evaluate", help="score a trained model on a gold file: a tagger on CoNLL (seqeval, per "
                       "label), a classifier on CSV/JSONL with text and label (accuracy, macro-F1, per category)")
    s.add_argument("model_dir", metavar="MODEL_DIR")
    s.add_argument("gold_file", metavar="GOLD_FILE")
    add_no_kernels(s)
    s.set_defaults(func=cmd_evaluate)

    model_help = "a run's best/ folder, any token-classification model folder, or 'latest' (the newest run)"
    any_help = ("a run's best/ folder (tagger or document classifier), any token- or sequence-classification "
                "model folder, or 'latest' (the newest tagger; the newest classifier in a project with "
                "categories only)")
    s = sub.add_parser("suggest", help="store a tagger's entities (or a classifier's categories) as suggestions "
                       "to accept or reject in the app")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("model_dir", metavar="MODEL_DIR", help=any_help)
    s.add_argument("--status", default="new", choices=["new", "done", "skipped", "all"],
                   help="which documents get suggestions (default: new)")
    s.add_argument("--min-score", type=float, default=0.0, metavar="X",
                   help="leave out suggestions the model gives a lower score (0..1; an entity's mean word "
                        "probability, a category's probability)")
    add_no_kernels(s)
    s.set_defaults(func=cmd_suggest)

    s = sub.add_parser("queue", help="print new documents in the order the app offers them (most uncertain first)")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("model_dir", metavar="MODEL_DIR", nargs="?",
                   help=any_help + "; without it, the uncertainty stored by the last suggest is used")
    s.add_argument("--n", type=int, default=20, metavar="N", help="how many (default 20)")
    s.add_argument("--strategy", default="uncertainty", choices=["uncertainty", "random"])
    s.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the random order")
    s.set_defaults(func=cmd_queue)

    s = sub.add_parser("review", help="list finished documents where the model confidently disagrees with you")
    s.add_argument("project", metavar="PROJECT")
    s.add_argument("model_dir", metavar="MODEL_DIR", help=model_help)
    s.add_argument("--n", type=int, default=50, metavar="N", help="how many (default 50)")
    s.add_argument("--min-confidence", type=float, default=0.5, metavar="X", help="0..1 (default 0.5)")
    s.add_argument("--split", choices=["train", "dev", "test"], help="only documents of this split")
    s.set_defaults(func=cmd_review)

    s = sub.add_parser("kernels", help="compile the CUDA kernels with NVRTC and list them (on a GPU, check each "
                                       "against its torch reference); works without a GPU")
    s.add_argument("--arch", help="GPU architecture to compile for, e.g. sm_80 or sm_90 (default: this GPU's, "
                                  "or sm_90 without one)")
    s.set_defaults(func=cmd_kernels)

    s = sub.add_parser("gui", help="open the app (default when no command is given)")
    s.add_argument("project", metavar="PROJECT", nargs="?", help="project to open (default: last one, or the demo)")
    s.set_defaults(func=cmd_gui)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = build_parser().parse_args(argv)
    if getattr(args, "no_kernels", False):
        from engine.kernels.gpu import OFF_ENV

        os.environ[OFF_ENV] = "1"
    if not getattr(args, "func", None):
        return cmd_gui(args)
    from engine.errors import TesseraError
    from engine.events import Cancelled

    try:
        return args.func(args)
    except TesseraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Cancelled):
        print("Cancelled; nothing was changed.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
