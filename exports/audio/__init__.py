"""The audio channel: every page of every spoken locale read aloud, offline.

``script`` turns a page node of the content tree into the sentences a listener
hears; ``speech`` holds the speech backends (espeak-ng by default, chosen by the
channel's ``SPEECH`` option); ``clips`` makes and keeps one Opus file per page,
content-addressed by what is spoken; ``channel`` publishes each locale's manifest
(every page's file and per-sentence timings) as the core's artifact.
"""
