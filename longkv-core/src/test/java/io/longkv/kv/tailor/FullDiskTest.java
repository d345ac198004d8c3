package io.longkv.kv.tailor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.model.Model;
import io.longkv.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cold tier that cannot grow: a child JVM runs under {@code ulimit -f}, so writing its cold file past the
 * limit fails in the kernel (EFBIG; a full disk fails the same write with ENOSPC). The session that needed the
 * space fails with a clear error, its prompt undone, and leaves no file;
 * another session of the same engine and the process go on.
 */
class FullDiskTest {
    /** Kilobytes a file of the child may reach: the short session's cold file fits, the long one's does not. */
    private static final int LIMIT_KB = 256;

    @TempDir
    Path dir;

    @Test
    void aSessionThatOutgrowsTheDiskFailsAloneWithAClearError() throws Exception {
        Path modelFile = TinyModels.write(TinyModels.LLAMA, dir.resolve("t.gguf"), 9);
        try (Model model = Model.load(modelFile)) {
            AllSparseProfile.writeFor(model);
        }
        Path coldDir = Files.createDirectory(dir.resolve("cold"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -f " + LIMIT_KB + " && exec \"$0\" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp \"$1\" "
                + FullDiskChild.class.getName() + " \"$2\" \"$3\" 3000";
        Process child = new ProcessBuilder("bash", "-c", command, java, System.getProperty("java.class.path"),
                modelFile.toString(), coldDir.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        List<String> lines = output.lines().filter(l -> !l.startsWith("WARNING")).toList();
        String failure = lines.stream().filter(l -> l.startsWith("large:") && !l.startsWith("large: length")).findFirst().orElse("");
        assertTrue(failure.startsWith("large: failed: cannot write") && failure.contains("cold-tier file")
                && failure.contains("File too large"), output);
        assertTrue(lines.contains("large: length 0"), "the failed prompt is undone: " + output);
        String failedFile = failure.replaceAll(".*cold-tier file \\S*/(\\S+\\.cold).*", "$1");
        List<String> left = lines.stream().filter(l -> l.startsWith("cold file: ")).toList();
        assertEquals(TinyModels.LLAMA.layers(), left.size(), "the short session's files, one per layer, are left: " + output);
        assertTrue(left.stream().noneMatch(l -> l.endsWith(failedFile)), "the failed session's file is deleted: " + output);
        assertTrue(lines.contains("small: length 309"), "the other session decodes on: " + output);
    }
}
