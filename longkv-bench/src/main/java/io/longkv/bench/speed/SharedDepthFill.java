package io.longkv.bench.speed;

import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.KvCache;
import io.longkv.kv.KvSpec;
import io.longkv.kv.KvSpecException;
import io.longkv.kv.LayerKvCache;
import io.longkv.model.ForwardBuffers;
import io.longkv.model.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Fills the caches of several KV methods with one prefill of the same tokens: a full f16 cache attends (the
 * precision TailorKV's own prefill attends in, and faster than f32's llama.cpp-exact order), and each
 * method's cache receives the same keys and values, then its end-of-prefill hook. For a method whose kept
 * state does not depend on the prompt's attention this is the cache its own prefill would build, up to the
 * rounding of attention in earlier layers; it makes long depths affordable (one 64K prefill instead of one
 * per method). Methods that keep tokens by prompt attention (SnapKV, H2O) are refused.
 */
public final class SharedDepthFill {
    private static final KvSpec LEAD = KvSpec.parse("full:dtype=f16");

    private SharedDepthFill() {
    }

    /** Rejects a spec whose caches would differ when filled without attending. */
    public static void check(KvSpec spec) {
        for (KvSpec.Rule rule : spec.rules()) {
            if (rule.method().keepsByPromptAttention()) {
                throw new KvSpecException("'" + spec + "' keeps tokens by the prompt's attention, so it cannot share a depth fill;"
                        + " run it without --shared-depth");
            }
        }
    }

    /**
     * One session per engine, each holding {@code tokens}; the caller closes them.
     *
     * @param leadBudget KV memory of the lead cache, freed before this returns
     * @param progress told how many tokens are done after each chunk (may be null)
     */
    public static List<Session> fill(Model model, List<Engine> engines, int[] tokens, int contextLength, int chunk,
                                     long leadBudget, IntConsumer progress) {
        engines.forEach(e -> check(e.spec()));
        List<KvCache> caches = new ArrayList<>();
        try (KvCache lead = new Engine(model, LEAD, leadBudget).newCache()) {
            for (Engine engine : engines) {
                caches.add(engine.newCache());
            }
            TeeLayerCache[] layers = new TeeLayerCache[lead.layerCount()];
            for (int l = 0; l < layers.length; l++) {
                LayerKvCache[] followers = new LayerKvCache[caches.size()];
                for (int i = 0; i < followers.length; i++) {
                    followers[i] = caches.get(i).layer(l);
                }
                layers[l] = new TeeLayerCache(lead.layer(l), followers);
            }
            KvCache tee = KvCache.of(LEAD, layers);
            ForwardBuffers buffers = new ForwardBuffers(model.config(), chunk);
            for (int done = 0; done < tokens.length; done += chunk) {
                int count = Math.min(chunk, tokens.length - done);
                model.transformer().forward(buffers, tee, tokens, done, count, done, count, null);
                if (progress != null) {
                    progress.accept(done + count);
                }
            }
            tee.endPrefill();
        } catch (RuntimeException e) {
            caches.forEach(KvCache::close);
            throw e;
        }
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            sessions.add(engines.get(i).newSession(contextLength, chunk, caches.get(i), tokens));
        }
        return sessions;
    }
}
