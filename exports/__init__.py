"""The export pipeline: the channel-neutral content tree, the outbox and channels."""
