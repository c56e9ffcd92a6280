"""Leichte Sprache: the rules checker, its admin panel and the Prüfgruppe review."""
