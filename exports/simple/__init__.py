"""The simple channel: Leichte Sprache (de-x-ls) coverage, PDF and compound splits."""
