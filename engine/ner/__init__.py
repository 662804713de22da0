"""Named-entity tagging: training, evaluation and prediction (no Qt here).

One module per job; importing this package imports nothing heavy:

=====================  =================================================================
``model_source``       find and check the base model folder (``"default"`` or a path)
``data``               ``done`` documents -> sentence examples, splits, label map,
                       sub-word alignment, length-grouped batches
``decode``             per-word scores or tags -> valid BIO tags -> entity spans
``metrics``            seqeval entity-level scores (micro/macro and per label)
``runs``               the ``runs`` and ``run_metrics`` rows of a training run
``checkpoint``         atomic ``best/`` and ``last/`` checkpoint folders
``train``              :class:`~engine.ner.train.TrainConfig`, ``train()``, ``resume()``:
                       the training loop, top to bottom in one file
``predict``            :func:`~engine.ner.predict.load_tagger` -> ``Tagger``
``files``              tag a whole file, score a model on a gold CoNLL file (CLI)
=====================  =================================================================
"""
