"""Document classification: whole texts get categories (a support message's intent, a
note's department), and a sequence-classification model learns them.

==============  ==============================================================
``data``        the categorized ``done`` documents as train/dev items, encoded
``metrics``     accuracy, macro-F1, per-class scores, confusion matrix, intervals
``train``       :class:`TextcatTask` for the shared training loop; ``train()``,
                ``resume()``
``predict``     :class:`Classifier`: load a classifier folder, predict texts
``files``       ``predict`` / ``evaluate`` on CSV, JSONL and text files
==============  ==============================================================
"""
