#!/usr/bin/env python3
"""Writes one value into one element of a GGUF tensor in place: the CLI's corrupt fixtures.

    gguf_poke.py FILE TENSOR ELEMENT VALUE      VALUE: nan, inf, -inf or a number

Reads the header as ggml's gguf.cpp lays it out (v2/v3, little-endian): magic, version, tensor and
key-value counts, the key-values (skipped, general.alignment kept), the tensor infos
(name, n_dims, ne[n_dims], type, offset), then the data section at the next multiple of the
alignment. Only F32 (type 0) and F16 (type 1) tensors can be poked. Standard library only.
"""
import struct
import sys

# Sizes of the scalar GGUF value types (gguf.h: UINT8 .. FLOAT64, BOOL); 8 = string, 9 = array.
SCALAR = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, fmt):
        v = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return v[0]

    def string(self):
        n = self.take("Q")
        s = self.data[self.at:self.at + n].decode("utf-8")
        self.at += n
        return s

    def skip_value(self, t):
        if t in SCALAR:
            self.at += SCALAR[t]
        elif t == 8:
            self.string()
        elif t == 9:
            inner, n = self.take("I"), self.take("Q")
            if inner in SCALAR:
                self.at += SCALAR[inner] * n
            else:
                for _ in range(n):
                    self.skip_value(inner)
        else:
            sys.exit(f"gguf_poke: unknown value type {t}")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    path, name, element, value = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    with open(path, "rb") as f:
        data = f.read()
    r = Reader(data)
    if data[:4] != b"GGUF":
        sys.exit("gguf_poke: not a GGUF file")
    r.at = 4
    r.take("I")  # version
    n_tensors, n_kv = r.take("Q"), r.take("Q")
    alignment = 32
    for _ in range(n_kv):
        key, t = r.string(), r.take("I")
        if key == "general.alignment" and t == 4:
            alignment = r.take("I")
        else:
            r.skip_value(t)
    found = None
    for _ in range(n_tensors):
        tname, n_dims = r.string(), r.take("I")
        ne = [r.take("Q") for _ in range(n_dims)]
        ttype, offset = r.take("I"), r.take("Q")
        if tname == name:
            found = (ne, ttype, offset)
    if found is None:
        sys.exit(f"gguf_poke: no tensor {name}")
    ne, ttype, offset = found
    count = 1
    for d in ne:
        count *= d
    if not 0 <= element < count:
        sys.exit(f"gguf_poke: element {element} outside {name}'s {count}")
    if ttype not in (0, 1):
        sys.exit(f"gguf_poke: {name} has type {ttype}; only F32 and F16 can be poked")
    start = (r.at + alignment - 1) // alignment * alignment
    size = 4 if ttype == 0 else 2
    at = start + offset + element * size
    with open(path, "r+b") as f:
        f.seek(at)
        f.write(struct.pack("<f" if ttype == 0 else "<e", value))


if __name__ == "__main__":
    main()
