package io.longkv.kv.tailor;

import io.longkv.model.Model;
import io.longkv.model.ModelIdentity;
import java.io.IOException;
import java.util.HexFormat;

/** Test profiles: every layer of a tiny model sparsity-friendly, so every layer offloads to the cold tier. */
final class AllSparseProfile {
    private AllSparseProfile() {
    }

    /** Writes the profile next to the model's file, where {@code tailor} looks for it. */
    static void writeFor(Model model) throws IOException {
        new TailorProfile("t", HexFormat.of().formatHex(ModelIdentity.of(model.gguf())), 0.05, 0.2, 32, "test", 1,
                new double[model.config().blockCount()]).write(TailorProfile.pathFor(model.gguf().path()));
    }
}
