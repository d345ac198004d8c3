"""Compares LongKV's tensors (DumpTensors.java) with llama.cpp's (dump_tensors.py): per tensor in graph
order, the count of values that differ and the largest difference. usage: compare.py LLAMA.npz JAVA_DIR"""
import sys, os, numpy as np
ref = np.load(sys.argv[1]); d = sys.argv[2]
def ours(name, shape):
    p = os.path.join(d, name + '.f32')
    return np.fromfile(p, dtype='<f4').reshape(shape) if os.path.exists(p) else None
names = ['attn_norm-{}', 'Qcur-{}', 'Kcur-{}', 'Vcur-{}', 'Qcur-{}#2', 'Kcur-{}#2', 'kqv_out-{}', 'attn_out-{}', 'ffn_inp-{}',
         'ffn_norm-{}', 'ffn_gate-{}', 'ffn_up-{}', 'ffn_swiglu-{}', 'ffn_out-{}', 'l_out-{}']
layers = int(sys.argv[3]) if len(sys.argv) > 3 else 30
order = [n.format(l) for l in range(layers) for n in names] + ['result_norm', 'result_output']
for n in order:
    if n not in ref: continue
    r = ref[n].reshape(ref[n].shape[0], -1) if ref[n].ndim > 1 else ref[n]
    o = ours(n, r.shape)
    if o is None: print(f'{n:18s} missing'); continue
    diff = (o != r)
    print(f'{n:18s} differ {int(diff.sum()):7d}/{r.size:<8d} max|d| {float(np.abs(o - r).max()):.3g}')
