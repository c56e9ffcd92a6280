"""The print channel: the handbook as a tagged, PDF/UA-1 PDF per locale (Typst)."""
