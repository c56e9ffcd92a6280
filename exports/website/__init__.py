"""The website channel: signed webhooks that push every published document."""
