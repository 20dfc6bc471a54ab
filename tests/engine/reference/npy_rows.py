#!/usr/bin/env python3
# Reads a float32 [rows, cols] .npy (as anatomy-cli generate --dump-logits writes it) and prints one
# line per row: row index, sha256 of the row's little-endian float32 bytes, argmax, max value.
# The hashes pin every bit of the logits without committing the arrays themselves.
import ast, hashlib, struct, sys
data = open(sys.argv[1], 'rb').read()
assert data[:6] == b'\x93NUMPY'
hlen = struct.unpack_from('<H', data, 8)[0]
header = ast.literal_eval(data[10:10 + hlen].decode('latin1'))
assert header['descr'] == '<f4' and not header['fortran_order']
rows, cols = header['shape']
body = data[10 + hlen:]
print(f'# rows {rows} cols {cols}: row, sha256 of the row as float32 LE, argmax, max')
for r in range(rows):
    chunk = body[r * cols * 4:(r + 1) * cols * 4]
    vals = struct.unpack(f'<{cols}f', chunk)
    m = max(range(cols), key=lambda i: (vals[i], -i))
    print(f'{r}\t{hashlib.sha256(chunk).hexdigest()}\t{m}\t{vals[m]:.9g}')
