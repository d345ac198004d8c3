"""Dumps llama.cpp intermediate f32 tensors of one prompt decode to an .npz (throwaway-grade debugging aid).

usage: python3 scripts/reference/dump_tensors.py ID,ID,... out.npz [NAME_REGEX]
Settings as make_logit_fixtures.py (n_ctx=n_batch=n_ubatch=2048, f32 KV, no flash attention, 2 threads).
Repeated names get #1, #2 suffixes (e.g. Qcur-0#2 is Qcur-0 after RoPE). Only contiguous f32 tensors are kept.
The ggml_tensor layout below matches the vendored llama.cpp (0c1e570); check ggml.h after upgrading.
"""
import sys, ctypes, numpy as np, re
sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
import llamaref
llamaref.ensure_env()
lc = llamaref.import_llama_cpp()
ids = [int(x) for x in sys.argv[1].split(',')]
out = sys.argv[2]
pat = re.compile(sys.argv[3] if len(sys.argv) > 3 else r'.*')

class T(ctypes.Structure):
    _fields_ = [('type', ctypes.c_int), ('buffer', ctypes.c_void_p), ('ne', ctypes.c_int64*4), ('nb', ctypes.c_size_t*4),
                ('op', ctypes.c_int), ('op_params', ctypes.c_int32*16), ('flags', ctypes.c_int32), ('src', ctypes.c_void_p*10),
                ('view_src', ctypes.c_void_p), ('view_offs', ctypes.c_size_t), ('data', ctypes.c_void_p), ('name', ctypes.c_char*64),
                ('extra', ctypes.c_void_p), ('padding', ctypes.c_char*8)]
store = {}
counts = {}
@lc.ggml_backend_sched_eval_callback
def cb(tp, ask, ud):
    t = ctypes.cast(tp, ctypes.POINTER(T)).contents
    name = t.name.decode()
    if ask:
        return bool(pat.match(name)) and t.type == 0
    ne = list(t.ne); nb = list(t.nb)
    # contiguous f32 only
    n = ne[0]*ne[1]*ne[2]*ne[3]
    if nb[0] == 4 and nb[1] == 4*ne[0] and nb[2] == nb[1]*ne[1] and nb[3] == nb[2]*ne[2]:
        a = np.ctypeslib.as_array(ctypes.cast(t.data, ctypes.POINTER(ctypes.c_float)), shape=(n,)).copy()
        k = name
        c = counts.get(k, 0); counts[k] = c + 1
        if c: k = '%s#%d' % (name, c)
        store[k] = a.reshape(ne[3], ne[2], ne[1], ne[0]).squeeze()
    return True

mp = lc.llama_model_default_params()
model = lc.llama_model_load_from_file(str(llamaref.model_path()).encode(), mp)
cp = lc.llama_context_default_params()
cp.n_ctx = 2048; cp.n_batch = 2048; cp.n_ubatch = 2048; cp.n_threads = 2; cp.n_threads_batch = 2
cp.type_k = lc.GGML_TYPE_F32; cp.type_v = lc.GGML_TYPE_F32; cp.flash_attn_type = lc.LLAMA_FLASH_ATTN_TYPE_DISABLED
cp.cb_eval = cb; cp.cb_eval_user_data = None
ctx = lc.llama_init_from_model(model, cp)
batch = lc.llama_batch_init(len(ids), 0, 1)
batch.n_tokens = len(ids)
for i, t in enumerate(ids):
    batch.token[i] = t; batch.pos[i] = i; batch.n_seq_id[i] = 1; batch.seq_id[i][0] = 0; batch.logits[i] = 1
rc = lc.llama_decode(ctx, batch)
assert rc == 0, rc
np.savez(out, **store)
print(len(store), 'tensors', sorted(store)[:5])
