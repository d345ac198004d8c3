package io.longkv.kv.tailor;

import io.longkv.kv.ColdReads;
import io.longkv.kv.KvMemory;
import io.longkv.kv.LayerContext;
import io.longkv.kv.LayerKvCache;
import io.longkv.kv.attention.PagedAttention;
import io.longkv.kv.attention.TopK;
import io.longkv.kv.block.BlockIo;
import io.longkv.kv.block.BlockTable;
import io.longkv.kv.block.KvDtype;
import io.longkv.tensor.Parallel;
import io.longkv.tensor.VectorMath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A sparsity-friendly layer of TailorKV. While the prompt comes in, its tokens go to the cold tier as they arrive
 * ({@link PromptStore}) and prefill attends densely over it. At the end of the first prompt the layer is
 * offloaded: the hot tier keeps the sinks, the last {@code recent} prompt tokens and, from then on, every new
 * token (f16 blocks), plus the channel magnitudes and prefetch buffer ({@link ChannelPrefetch}). Each later
 * query row picks, per KV head, the top prompt tokens of the middle by approximate scores on the prefetched
 * channels, reads their keys and values from the cold tier, and attends exactly over hot + selected.
 * See the package notes for rollback, forks and errors.
 */
final class OffloadedLayerCache implements LayerKvCache {
    private static final ThreadLocal<StepScratch> SCRATCH = ThreadLocal.withInitial(StepScratch::new);

    /** Per-thread working arrays of a step (like the kernels' tile scratch: not held per cache). */
    private static final class StepScratch {
        float[] scores = new float[0];
        float[] tmp = new float[0];
        float[] row = new float[0];
        int[] picked = new int[0];
        float[][] keys = new float[0][];
        float[][] values = new float[0][];
        float[] q = new float[0];
        float[] out = new float[0];
        float[] mean = new float[0];

        void ensure(int middle, int selected, int kvHeads, int headDim, int queryWidth) {
            if (scores.length < middle) {
                scores = new float[middle];
                tmp = new float[middle];
                row = new float[middle];
                picked = new int[middle];
            }
            if (keys.length < kvHeads || keys[0].length < selected * headDim) {
                keys = new float[kvHeads][selected * headDim];
                values = new float[kvHeads][selected * headDim];
            }
            if (q.length < queryWidth) {
                q = new float[queryWidth];
                out = new float[queryWidth];
                mean = new float[headDim];
            }
        }
    }

    private final LayerContext context;
    private final TailorSettings settings;
    private final int kvHeads;
    private final int group;
    private final int headDim;
    private final int kvDim;
    private final PagedAttention attention;
    private final SelectedRuns selectedRuns;
    private final ColdCounters counters;
    private final float[] lastQuery;
    /** The step whose heads {@link #pickHeads} works on (set around the parallel call; no lambda per step). */
    private StepScratch pickStep;
    private final Parallel.Range pickHeads = this::pickHeads;
    private PromptStore prompt;
    /** Null until the prompt is offloaded. */
    private BlockTable hot;
    private ChannelPrefetch prefetch;
    private int promptLength;
    private int sinks;
    private int recent;
    private boolean hasQuery;
    private long bytesRead;

    OffloadedLayerCache(LayerContext context, TailorSettings settings) {
        this(context, settings, new PromptStore(context.blocks(), settings.coldDirectory(context), settings.automaticDirectory(), "L" + context.layer(),
                settings.chunkTokens(), context.kvHeads(), context.headDim()), new ColdCounters());
    }

    private OffloadedLayerCache(LayerContext context, TailorSettings settings, PromptStore prompt, ColdCounters counters) {
        this.context = context;
        this.settings = settings;
        this.kvHeads = context.kvHeads();
        this.group = context.heads() / kvHeads;
        this.headDim = context.headDim();
        this.kvDim = kvHeads * headDim;
        this.attention = new PagedAttention(context.heads(), kvHeads, headDim);
        this.selectedRuns = new SelectedRuns(headDim, context.blocks().blockTokens());
        this.counters = counters;
        this.lastQuery = new float[context.heads() * headDim];
        this.prompt = prompt;
    }

    boolean offloaded() {
        return hot != null;
    }

    /** Prompt tokens scored per step: those between the sinks and the recent window. */
    private int middle() {
        return promptLength - sinks - recent;
    }

    /** Prompt tokens each step reads back from the cold tier per KV head. */
    int selectedPerStep() {
        return Math.min(settings.dynamic(), middle());
    }

    @Override
    public void append(int position, float[] keys, float[] values, int tokens) {
        if (position != length()) {
            throw new IllegalStateException("append at position " + position + " but the cache holds " + length());
        }
        if (offloaded()) {
            hot.append(keys, values, tokens);
        } else {
            prompt.append(keys, values, tokens);
        }
    }

    @Override
    public void attend(int position, float[] queries, int tokens, float[] out) {
        if (position + tokens != length()) {
            throw new IllegalStateException("attend rows " + position + ".." + (position + tokens - 1)
                    + " but the cache holds " + length() + " positions");
        }
        if (!offloaded()) {
            long slots = attention.attend(prompt.runs(), length(), queries, tokens, out);
            bytesRead += prompt.rowBytes(slots);
            System.arraycopy(queries, (tokens - 1) * lastQuery.length, lastQuery, 0, lastQuery.length);
            hasQuery = true;
            return;
        }
        prompt.checkFiles();
        StepScratch s = SCRATCH.get();
        s.ensure(middle(), selectedPerStep(), kvHeads, headDim, lastQuery.length);
        for (int i = 0; i < tokens; i++) {
            System.arraycopy(queries, i * lastQuery.length, s.q, 0, lastQuery.length);
            attendRow(s, hot.length() - tokens + i + 1);
            System.arraycopy(s.out, 0, out, i * lastQuery.length, lastQuery.length);
        }
        System.arraycopy(s.q, 0, lastQuery, 0, lastQuery.length);
        if (selectedPerStep() < middle()) {
            prefetch.start(lastQuery, 0);
        }
    }

    /** One query row (in {@code s.q}) over the first {@code hotVisible} hot slots and its selected prompt tokens. */
    private void attendRow(StepScratch s, int hotVisible) {
        int selected = selectedPerStep();
        if (selected < middle()) {
            prefetch.ready(s.q, 0);
            pickStep = s;
            Parallel.parallelFor(kvHeads, pickHeads);
            pickStep = null;
        } else {
            for (int i = 0; i < selected; i++) {
                s.picked[i] = sinks + i;
            }
            for (int h = 0; h < kvHeads; h++) {
                prompt.gather(h, s.picked, selected, s.keys[h], s.values[h]);
            }
        }
        long cold = prompt.rowBytes(selected);
        counters.bytes += cold;
        counters.steps++;
        attention.attend(selectedRuns.of(s.keys, s.values, selected, hot.blocks()), selected + hotVisible, s.q, 1, s.out);
        bytesRead += cold + (long) hotVisible * kvHeads * KvDtype.F16.tokenHeadBytes(headDim)
                + (selected < middle() ? (long) kvHeads * prefetch.channels() * middle() * Short.BYTES : 0);
    }

    /**
     * Picks and reads back the tokens of KV heads {@code [from, to)} for the step in {@code pickStep} (its query,
     * into its key and value rows). The heads are independent, so they spread over the cores; each thread picks
     * in its own scratch.
     */
    private void pickHeads(int from, int to) {
        StepScratch step = pickStep;
        int selected = selectedPerStep();
        StepScratch own = SCRATCH.get();
        own.ensure(middle(), selected, kvHeads, headDim, lastQuery.length);
        for (int h = from; h < to; h++) {
            select(own, step.q, h, selected);
            prompt.gather(h, own.picked, selected, step.keys[h], step.values[h]);
        }
    }

    /**
     * The {@code selected} middle prompt positions of {@code head} with the largest approximate scores
     * {@code sum over prefetched channels c of q̄_c k_t[c]} (q̄ = the group mean of query {@code q}), into {@code s.picked}.
     */
    private void select(StepScratch s, float[] q, int head, int selected) {
        int middle = middle();
        TailorMath.groupMean(q, head * group * headDim, group, headDim, s.mean);
        Arrays.fill(s.scores, 0, middle, 0f);
        short[] rows = prefetch.rows();
        int skip = sinks - prefetch.firstToken();
        for (int j = 0; j < prefetch.channels(); j++) {
            VectorMath.f16ToF32(rows, prefetch.rowOffset(head, prefetch.channel(head, j)) + skip, s.row, 0, middle);
            VectorMath.axpy(s.mean[prefetch.channel(head, j)], s.row, 0, s.scores, 0, middle);
        }
        int count = TopK.indices(s.scores, 0, middle, selected, s.tmp, s.picked);
        for (int i = 0; i < count; i++) {
            s.picked[i] += sinks;
        }
    }

    /**
     * Offloads at the end of the first prompt: the whole prompt is sealed in the cold tier, the sinks and recent
     * tokens are copied to the hot tier, and the first prefetch starts from the prompt's last query. Later
     * prompts (turns) stay hot, like generated tokens.
     */
    @Override
    public void endPrefill() {
        if (offloaded() || prompt.length() == 0) {
            return;
        }
        offload();
        int[][] ranges = {{0, sinks}, {promptLength - recent, promptLength}};
        for (int[] range : ranges) {
            int n = range[1] - range[0];
            float[] keys = new float[n * kvDim];
            float[] values = new float[n * kvDim];
            float[] head = new float[n * headDim];
            for (int h = 0; h < kvHeads; h++) {
                prompt.read(true, h, range[0], range[1], head, 0);
                place(head, keys, h, 0, n);
                prompt.read(false, h, range[0], range[1], head, 0);
                place(head, values, h, 0, n);
            }
            hot.append(keys, values, n);
        }
        if (hasQuery && selectedPerStep() < middle()) {
            prefetch.start(lastQuery, 0);
        }
    }

    /** Seals the prompt and sets up an empty hot tier and the channel index. */
    private void offload() {
        prompt.seal();
        promptLength = prompt.length();
        sinks = Math.min(settings.sinks(), promptLength);
        recent = Math.min(settings.recent(), promptLength - sinks);
        prefetch = new ChannelPrefetch(prompt, context.blocks(), counters, context.heads(), kvHeads, headDim, settings.channels(),
                sinks, promptLength - recent);
        hot = new BlockTable(context.blocks(), KvDtype.F16, kvHeads, headDim);
    }

    /** Hot slots that hold prompt tokens. */
    private int hotPrompt() {
        return sinks + recent;
    }

    @Override
    public int length() {
        return offloaded() ? promptLength + hot.length() - hotPrompt() : prompt.length();
    }

    /**
     * Always exact: within the generated part only hot slots go; below the end of the prompt the layer returns
     * to its prompt state (everything in the cold tier, dense attention) until the next end of prefill.
     */
    @Override
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length()) {
            throw new IllegalArgumentException("cannot truncate a cache of " + length() + " positions to " + newLength);
        }
        if (offloaded() && newLength >= promptLength) {
            hot.truncate(hotPrompt() + newLength - promptLength);
            return;
        }
        dropHotTier();
        prompt.truncate(newLength);
        hasQuery = false;
    }

    private void dropHotTier() {
        if (offloaded()) {
            prefetch.close();
            hot.close();
            prefetch = null;
            hot = null;
        }
    }

    /** Shares the cold chunks read-only (the fork writes its own file), forks the hot blocks copy-on-write. */
    @Override
    public LayerKvCache fork() {
        OffloadedLayerCache copy = new OffloadedLayerCache(context, settings, prompt.fork(), counters.copy());
        System.arraycopy(lastQuery, 0, copy.lastQuery, 0, lastQuery.length);
        copy.hasQuery = hasQuery;
        copy.bytesRead = bytesRead;
        if (offloaded()) {
            copy.promptLength = promptLength;
            copy.sinks = sinks;
            copy.recent = recent;
            copy.hot = hot.fork();
            copy.prefetch = prefetch.fork(copy.prompt, copy.counters);
        }
        return copy;
    }

    @Override
    public KvMemory memory() {
        long hotBytes = prompt.hotBytes() + (offloaded() ? hot.bytes() + prefetch.bytes() : 0);
        return new KvMemory(hotBytes, prompt.coldBytes());
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public ColdReads coldReads() {
        return counters.snapshot();
    }

    /** Prompt rows as f32 (exact for f16), then the hot tier when offloaded. */
    @Override
    public void save(DataOutput out) throws IOException {
        int stored = offloaded() ? promptLength : prompt.length();
        out.writeBoolean(offloaded());
        out.writeInt(stored);
        float[] rows = new float[prompt.chunkTokens() * headDim];
        for (int h = 0; h < kvHeads; h++) {
            for (int t = 0; t < stored; t += prompt.chunkTokens()) {
                int n = Math.min(prompt.chunkTokens(), stored - t);
                prompt.read(true, h, t, t + n, rows, 0);
                BlockIo.writeFloats(out, rows, 0, n * headDim);
                prompt.read(false, h, t, t + n, rows, 0);
                BlockIo.writeFloats(out, rows, 0, n * headDim);
            }
        }
        if (offloaded()) {
            hot.save(out);
        }
    }

    @Override
    public void load(DataInput in) throws IOException {
        if (length() != 0) {
            throw new IllegalStateException("load into a cache that holds " + length() + " positions");
        }
        try {
            boolean savedOffloaded = in.readBoolean();
            int stored = in.readInt();
            if (stored < 0) {
                throw new IOException("bad tailor prompt length " + stored);
            }
            float[] keys = new float[stored * kvDim];
            float[] values = new float[stored * kvDim];
            float[] rows = new float[prompt.chunkTokens() * headDim];
            for (int h = 0; h < kvHeads; h++) {
                for (int t = 0; t < stored; t += prompt.chunkTokens()) {
                    int n = Math.min(prompt.chunkTokens(), stored - t);
                    BlockIo.readFloats(in, rows, 0, n * headDim);
                    place(rows, keys, h, t, n);
                    BlockIo.readFloats(in, rows, 0, n * headDim);
                    place(rows, values, h, t, n);
                }
            }
            prompt.append(keys, values, stored);
            if (savedOffloaded) {
                offload();
                hot.load(in);
                if (hot.start() != 0 || hot.length() < hotPrompt()) {
                    throw new IOException("inconsistent tailor state: " + hot.length() + " hot tokens, " + hotPrompt()
                            + " expected from the prompt alone");
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Rows of one head ({@code n} x headDim) into tokens {@code from ..} of the all-heads rows of {@code rows}. */
    private void place(float[] head, float[] rows, int h, int from, int n) {
        for (int t = 0; t < n; t++) {
            System.arraycopy(head, t * headDim, rows, (from + t) * kvDim + h * headDim, headDim);
        }
    }

    @Override
    public void close() {
        dropHotTier();
        prompt.close();
    }
}
