package io.longkv.kv;

import io.longkv.model.Model;
import io.longkv.model.ModelConfig;
import java.util.List;

/**
 * A KV cache method: a name for specs, its parameters for {@code kv list} and parsing, and a factory of
 * per-layer caches. Register an implementation in {@link KvMethods}.
 */
public interface KvMethod {
    /** The name used in specs ({@code full}, {@code kivi}, ...). */
    String name();

    /** One line for {@code kv list}. */
    String description();

    /** Declared parameters with defaults and ranges, in the order specs print them. */
    List<KvParam> params();

    /**
     * Rejects a parameter set this method cannot serve on a model (e.g. a group size that does not divide
     * head_dim) with a {@link KvSpecException}; called once per spec rule before any cache is built.
     */
    default void check(ModelConfig model, KvParams params) {
    }

    /**
     * This method ready for {@code model}: a method that needs the model itself (TailorKV's per-layer profile)
     * returns a copy bound to it; the others return themselves. Called once per spec rule by the engine.
     */
    default KvMethod prepare(Model model, KvParams params) {
        return this;
    }

    /**
     * Whether what a cache keeps after a prompt depends on the prompt's attention (SnapKV's observation
     * window, H2O's accumulated scores), so that appending the same keys and values without attending
     * would leave a different cache. Tools that fill several caches from one prefill refuse such methods.
     */
    default boolean keepsByPromptAttention() {
        return false;
    }

    /** A new, empty cache for one layer. */
    LayerKvCache create(LayerContext context, KvParams params);
}
