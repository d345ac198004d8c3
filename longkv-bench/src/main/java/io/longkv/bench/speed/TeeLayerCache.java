package io.longkv.bench.speed;

import io.longkv.kv.LayerKvCache;
import io.longkv.kv.OnePromptCache;

/**
 * One layer of a shared fill: the lead cache attends, and every appended key and value also goes to the
 * followers, which never attend. Closing it closes the lead only: the followers go on in their own sessions.
 */
final class TeeLayerCache extends OnePromptCache {
    private final LayerKvCache[] followers;

    TeeLayerCache(LayerKvCache lead, LayerKvCache... followers) {
        super(lead, "a shared fill");
        this.followers = followers;
    }

    @Override
    public void append(int position, float[] keys, float[] values, int tokens) {
        inner.append(position, keys, values, tokens);
        for (LayerKvCache follower : followers) {
            follower.append(position, keys, values, tokens);
        }
    }

    @Override
    public void attend(int position, float[] queries, int tokens, float[] out) {
        inner.attend(position, queries, tokens, out);
    }

    @Override
    public void endPrefill() {
        inner.endPrefill();
        for (LayerKvCache follower : followers) {
            follower.endPrefill();
        }
    }
}
