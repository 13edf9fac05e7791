"""Bytes to article text: the page parser, character-set detection and content sniffing."""
