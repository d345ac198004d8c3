package io.longkv.kv.streaming;

import io.longkv.kv.LayerContext;
import io.longkv.kv.evict.EvictingCache;
import io.longkv.kv.evict.SlotStore;
import io.longkv.model.Rope;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Keeps positions {@code [0, sink)} and the last {@code window} positions. A prompt is attended whole, then
 * cut to that at its end; each decode step then evicts the oldest window token (same tokens for every head).
 *
 * <p>Position shift: RoPE scores depend only on the query-key distance, and the forward pass rotates the
 * query at its true position. llama.cpp's context shift moves the window keys back by the E evicted
 * positions and the query with them, which leaves window distances as they were and shortens the sinks'
 * distances by E. We get the same distances by rotating only the {@code sink} keys forward by E, each time
 * from the key as first stored (one rotation, no drift), instead of rotating the whole window. With
 * {@code shift=false} keys keep their true positions.
 */
final class StreamingCache extends EvictingCache {
    private final int sink;
    private final int window;
    private final boolean shift;
    private final int kvDim;
    private final Rope rope;
    private final float[] cos;
    private final float[] sin;
    private final float[] rotated;
    private float[] sinkKeys;
    private float[] sinkValues;
    /** Positions the sink keys are rotated forward by now. */
    private int shiftedBy;

    StreamingCache(LayerContext context, int sink, int window, boolean shift) {
        this(context, sink, window, shift, new SlotStore(context, false), 0);
    }

    private StreamingCache(LayerContext context, int sink, int window, boolean shift, SlotStore store, int length) {
        super(context, store, length, true);
        this.sink = sink;
        this.window = window;
        this.shift = shift;
        this.kvDim = context.kvHeads() * context.headDim();
        this.rope = new Rope(context.ropeInverseFrequencies(), context.model().ropeType(), context.headDim());
        this.cos = new float[rope.pairs()];
        this.sin = new float[rope.pairs()];
        this.rotated = new float[kvDim];
        store.reserve(2L * sink * kvDim * Float.BYTES);
        this.sinkKeys = new float[sink * kvDim];
        this.sinkValues = new float[sink * kvDim];
    }

    @Override
    protected void appended(int position, float[] keys, float[] values, int tokens) {
        // The shift rotates the sinks as first stored; the values come along because rows are rewritten whole.
        for (int i = 0; i < tokens && position + i < sink; i++) {
            System.arraycopy(keys, i * kvDim, sinkKeys, (position + i) * kvDim, kvDim);
            System.arraycopy(values, i * kvDim, sinkValues, (position + i) * kvDim, kvDim);
        }
    }

    @Override
    protected long attended(float[] queries, int tokens) {
        if (tokens == 1 && store.slots() > sink + window) {
            int oldest = length - window - 1;
            int slot = sink;
            while (store.position(0, slot) != oldest) {
                slot++;
            }
            int[] dropped = new int[context.kvHeads()];
            Arrays.fill(dropped, slot);
            store.dropOne(dropped);
            reshift();
        }
        return 0;
    }

    @Override
    protected void compress() {
        int slots = store.slots();
        if (slots <= sink + window) {
            return;
        }
        int[][] kept = new int[context.kvHeads()][sink + window];
        int n = 0;
        for (int s = 0; s < slots; s++) {
            int p = store.position(0, s);
            if (p < sink || p >= length - window) {
                for (int[] head : kept) {
                    head[n] = s;
                }
                n++;
            }
        }
        store.keep(kept, n);
        reshift();
    }

    /** Rotates the sinks forward by the positions evicted so far, when that changed. */
    private void reshift() {
        int evicted = length - store.slots();
        if (!shift || evicted == shiftedBy) {
            return;
        }
        rope.tables(evicted, cos, sin);
        for (int s = 0; s < Math.min(sink, store.slots()); s++) {
            System.arraycopy(sinkKeys, s * kvDim, rotated, 0, kvDim);
            rope.rotate(rotated, 0, context.kvHeads(), cos, sin);
            store.writeRow(s, rotated, 0, sinkValues, s * kvDim);
        }
        shiftedBy = evicted;
    }

    @Override
    protected boolean canDropSuffix(int newLength) {
        return store.slots() == length;
    }

    @Override
    protected EvictingCache copy() {
        StreamingCache c = new StreamingCache(context, sink, window, shift, store.fork(), length);
        c.sinkKeys = sinkKeys.clone();
        c.sinkValues = sinkValues.clone();
        c.shiftedBy = shiftedBy;
        return c;
    }

    @Override
    protected void adopt(EvictingCache from) {
        StreamingCache s = (StreamingCache) from;
        sinkKeys = s.sinkKeys;
        sinkValues = s.sinkValues;
        shiftedBy = s.shiftedBy;
    }

    @Override
    protected void saveState(DataOutput out) throws IOException {
        out.writeInt(shiftedBy);
        for (int i = 0; i < sinkKeys.length; i++) {
            out.writeFloat(sinkKeys[i]);
            out.writeFloat(sinkValues[i]);
        }
    }

    @Override
    protected void loadState(DataInput in) throws IOException {
        shiftedBy = in.readInt();
        for (int i = 0; i < sinkKeys.length; i++) {
            sinkKeys[i] = in.readFloat();
            sinkValues[i] = in.readFloat();
        }
    }
}
