"""The EPUB channel: the handbook as an accessible EPUB 3 per locale."""
