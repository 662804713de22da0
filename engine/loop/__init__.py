"""The model in the loop (no Qt): a trained tagger suggests entities, orders the
documents to label next, and points at likely mistakes in finished ones.

``predict``  per-document predictions: entities with scores, uncertainty
``suggest``  store predictions as suggestions (``spans.source = 'model'``) with progress
``queue``    the order to label in: by uncertainty with a diversity guard, or random
``review``   done documents where the model confidently disagrees with the human
"""
