"""A learned reader of policy sentences, and how its scores combine with the rules.

The rules find policy facts by trigger phrases; on news they were never fitted to they
miss phrasings no one wrote a rule for. A small linear model over the whole sentence
generalises better, so it scores every sentence, lends each fact a confidence, and adds
facts the rules missed where it is sure enough. Training lives in
bench/train_policy_model.py; this package only reads the shipped weights.
"""
