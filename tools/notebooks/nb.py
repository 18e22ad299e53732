"""Tiny helpers to author the workbook's notebooks as Python lists of cells (used by the build_*.py scripts beside this file).

Every notebook gets the same metadata (kernelspec .net-csharp, polyglot default kernel csharp) and no outputs.
"""
import json
import os
import pathlib
import re

BOOTSTRAP = '#r "{up}artifacts/workbook/WeightDecay.Interactive.dll"\nWeightDecay.Interactive.Workbook.Init()'

METADATA = {
    "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
    "language_info": {"file_extension": ".cs", "mimetype": "text/x-csharp", "name": "C#", "pygments_lexer": "csharp", "version": "13.0"},
    "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "languageName": "csharp", "name": "csharp"}]}},
}


def _lines(text):
    text = text.strip("\n")
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def md(text):
    """A Markdown cell. A display formula written as $$…$$ at the start of a line becomes a block ($$ on lines of their own):
    inside a paragraph Markdig (the report renderer) would treat it as inline math."""
    text = re.sub(r"(?ms)^\$\$(.+?)\$\$[ \t]*$", lambda m: "\n$$\n" + m.group(1).strip() + "\n$$\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return {"cell_type": "markdown", "metadata": {}, "source": _lines(text)}


def code(text, tags=None):
    meta = {"polyglot_notebook": {"kernelName": "csharp"}}
    if tags:
        meta["tags"] = list(tags)
    return {"cell_type": "code", "execution_count": None, "metadata": meta, "outputs": [], "source": _lines(text)}


def bootstrap(depth=1):
    return code(BOOTSTRAP.format(up="../" * depth))


def write(path, cells):
    """Writes a notebook. With WD_NOTEBOOKS_OUT set, the path under notebooks/ is redirected there (used by the drift test)."""
    out = os.environ.get("WD_NOTEBOOKS_OUT")
    if out:
        path = pathlib.Path(out) / pathlib.Path(path).relative_to(pathlib.Path(__file__).resolve().parents[2] / "notebooks")
    nb = {"cells": cells, "metadata": METADATA, "nbformat": 4, "nbformat_minor": 5}
    for i, c in enumerate(nb["cells"]):
        c["id"] = f"cell-{i:02d}"
    pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(path).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
