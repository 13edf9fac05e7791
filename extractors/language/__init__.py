"""Language mechanics shared by every extractor: sentence and clause spans, number forms."""
