"""Additions to nb.py used by the theory lessons' build scripts (build_01.py, build_02.py and their solutions).

md(): display formulas written as $$…$$ at the start of a line become display blocks ($$ on their own lines, blank lines
around). Inside a paragraph Markdig (the report renderer) treats $$…$$ as inline math; as blocks they are display math in
the reports, in Jupyter and in VS Code alike.
write(): nb.write that also creates the target folder (notebooks/solutions/).
"""
import pathlib
import re

import nb


def md(text):
    text = re.sub(r"(?ms)^\$\$(.+?)\$\$[ \t]*$", lambda m: "\n$$\n" + m.group(1).strip() + "\n$$\n", text)
    return nb.md(re.sub(r"\n{3,}", "\n\n", text))


def write(path, cells):
    pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    nb.write(path, cells)
