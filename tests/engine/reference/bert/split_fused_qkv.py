#!/usr/bin/env python3
# Rewrites a bert GGUF whose layers hold one attn_qkv tensor as the three tensors llama.cpp
# c392e5094 reads for `bert` (it takes attn_qkv only for nomic-bert): with gguf-py (llama.cpp's
# own GGUF reader and writer), attn_qkv.weight [qDim + 2 kvDim, dim] is cut into rows q | k | v at
# the offsets build_bert's nomic branch views them (0, n_embd, n_embd + n_embd_gqa), and its bias
# the same way; every other key and tensor is copied as it is.
# Usage: PYTHONPATH=LLAMA_CPP_DIR/gguf-py split_fused_qkv.py IN.gguf OUT.gguf
import sys

import gguf
import numpy as np


def decode_field(field):
    main = field.types[0]
    if main == gguf.GGUFValueType.ARRAY:
        if field.types[-1] == gguf.GGUFValueType.STRING:
            return [str(bytes(field.parts[i]), encoding="utf-8") for i in field.data]
        return [v for i in field.data for v in field.parts[i].tolist()]
    if main == gguf.GGUFValueType.STRING:
        return str(bytes(field.parts[-1]), encoding="utf-8")
    return field.parts[-1][0]


def main():
    src, dst = sys.argv[1], sys.argv[2]
    reader = gguf.GGUFReader(src)
    arch = decode_field(reader.get_field("general.architecture"))
    heads = int(decode_field(reader.get_field(arch + ".attention.head_count")))
    kv_field = reader.get_field(arch + ".attention.head_count_kv")
    kv_heads = int(decode_field(kv_field)) if kv_field else heads
    dim = int(decode_field(reader.get_field(arch + ".embedding_length")))
    q_dim, kv_dim = dim, dim // heads * kv_heads
    writer = gguf.GGUFWriter(dst, arch)
    for field in reader.fields.values():
        if field.name == "general.architecture" or field.name.startswith("GGUF."):
            continue
        writer.add_key_value(field.name, decode_field(field), field.types[0])
    for t in reader.tensors:
        if t.tensor_type != gguf.GGMLQuantizationType.F32:
            sys.exit(f"{t.name}: only F32 files are split (got {t.tensor_type.name})")
        data = np.array(t.data, dtype=np.float32)
        if ".attn_qkv." in t.name:
            assert data.shape[0] == q_dim + 2 * kv_dim, (t.name, data.shape)
            parts = {"attn_q": data[:q_dim], "attn_k": data[q_dim:q_dim + kv_dim], "attn_v": data[q_dim + kv_dim:]}
            for part, rows in parts.items():
                writer.add_tensor(t.name.replace("attn_qkv", part), np.ascontiguousarray(rows))
        else:
            writer.add_tensor(t.name, data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()
