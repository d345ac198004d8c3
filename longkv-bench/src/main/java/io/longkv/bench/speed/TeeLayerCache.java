package io.longkv.bench.speed;

import io.longkv.kv.KvMemory;
import io.longkv.kv.LayerKvCache;
import java.io.DataInput;
import java.io.DataOutput;

/**
 * One layer of a shared fill: the lead cache attends (exactly), and every appended key and value also goes
 * to the followers, which never attend. It lives for one prefill only, so it neither truncates nor forks
 * (the prefix cache then skips it) and is never saved.
 */
final class TeeLayerCache implements LayerKvCache {
    private final LayerKvCache lead;
    private final LayerKvCache[] followers;

    TeeLayerCache(LayerKvCache lead, LayerKvCache... followers) {
        this.lead = lead;
        this.followers = followers;
    }

    @Override
    public void append(int position, float[] keys, float[] values, int tokens) {
        lead.append(position, keys, values, tokens);
        for (LayerKvCache follower : followers) {
            follower.append(position, keys, values, tokens);
        }
    }

    @Override
    public void attend(int position, float[] queries, int tokens, float[] out) {
        lead.attend(position, queries, tokens, out);
    }

    @Override
    public void endPrefill() {
        lead.endPrefill();
        for (LayerKvCache follower : followers) {
            follower.endPrefill();
        }
    }

    @Override
    public int length() {
        return lead.length();
    }

    @Override
    public boolean canTruncate(int length) {
        return false;
    }

    @Override
    public void truncate(int length) {
        throw new UnsupportedOperationException("a shared fill is not truncated");
    }

    @Override
    public LayerKvCache fork() {
        throw new UnsupportedOperationException("a shared fill is not forked");
    }

    @Override
    public KvMemory memory() {
        return lead.memory();
    }

    @Override
    public long bytesRead() {
        return lead.bytesRead();
    }

    @Override
    public void save(DataOutput out) {
        throw new UnsupportedOperationException("a shared fill is not saved");
    }

    @Override
    public void load(DataInput in) {
        throw new UnsupportedOperationException("a shared fill is not loaded");
    }

    /** Closes the lead only: the followers go on in their own sessions. */
    @Override
    public void close() {
        lead.close();
    }
}
