package io.longkv.kv.tailor;

import io.longkv.engine.Engine;
import io.longkv.engine.Session;
import io.longkv.kv.KvSpec;
import io.longkv.model.Model;
import io.longkv.testing.SessionChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Run by {@link FullDiskTest} in a JVM whose file-size limit is small, so the kernel refuses to grow a cold
 * file (EFBIG, the same failed write as ENOSPC): a long session outgrows it while a short one goes on.
 * Prints one line per fact the test checks.
 */
public final class FullDiskChild {
    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args[0]);
        Path coldDir = Path.of(args[1]);
        Random random = new Random(5);
        try (Model model = Model.load(modelFile)) {
            Engine engine = new Engine(model, KvSpec.parse("tailor:quant-bits=2,group=8,residual=16,budget=40,sinks=4,recent=12,"
                    + "channels=4,cold-dir=" + coldDir), 1L << 28);
            try (Session small = engine.newSession(4096, 64)) {
                small.append(SessionChecks.tokens(random, 300));
                small.append(7);
                try (Session large = engine.newSession(4096, 64)) {
                    try {
                        large.append(SessionChecks.tokens(random, Integer.parseInt(args[2])));
                        System.out.println("large: no error");
                    } catch (ColdTierException e) {
                        System.out.println("large: failed: " + e.getMessage());
                    }
                    System.out.println("large: length " + large.length());
                }
                engine.clearPrefixCache();
                try (var files = Files.list(coldDir)) {
                    files.forEach(f -> System.out.println("cold file: " + f.getFileName()));
                }
                for (int i = 0; i < 8; i++) {
                    small.append(random.nextInt(256));
                }
                System.out.println("small: length " + small.length());
            }
        }
    }
}
