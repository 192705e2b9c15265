"""The upload package: the form and every attachment as PDF files the portal accepts.

`build` runs the job (`build_package`); the other modules are its steps, each named for
what it holds: `attachments` (what users bring, turned into PDF pages), `order` (which
items, in the portal's order), `images` and `recompress` (finding scans and re-encoding
them), `pool` (the worker threads for that), `optimise` (choosing the quality rung),
`split` and `outline` (parts within the limit, with bookmarks), `stamp`, `output` (the
parts being written and where each source page went), `verify` (the last re-reading),
`manifest` (what a reviewer or a program reads afterwards), `model` (the records).
"""
