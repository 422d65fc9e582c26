"""Readers for the binary and markup formats: each turns a file's bytes into a ``Document``.

Every reader has the signature ``read(data: bytes, metadata: Metadata) -> Document`` and
raises ``DocumentError`` (with a message naming the file) for anything it cannot read.
``reader.documents.loader`` picks the reader by content first, then by suffix.
"""
