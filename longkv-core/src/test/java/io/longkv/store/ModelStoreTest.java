package io.longkv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URL downloads against a real HTTP server on the loopback: hash checks, HTTP errors, nothing left behind. */
class ModelStoreTest {
    private static final byte[] BODY = "GGUF pretend model bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    HttpServer server;
    ModelStore store;
    String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/model.gguf", exchange -> {
            exchange.sendResponseHeaders(200, BODY.length);
            exchange.getResponseBody().write(BODY);
            exchange.close();
        });
        server.createContext("/missing.gguf", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        store = new ModelStore(dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void downloadsAndVerifiesTheHash() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY));
        Path path = store.fetchUrl(base + "/model.gguf", "model.gguf", sha);
        assertEquals(dir.resolve("model.gguf"), path);
        assertArrayEquals(BODY, Files.readAllBytes(path));
        assertEquals(sha, ModelStore.sha256(path));
    }

    @Test
    void wrongHashIsRejectedAndNothingIsInstalled() throws Exception {
        ModelFetchException e = assertThrows(ModelFetchException.class,
                () -> store.fetchUrl(base + "/model.gguf", "model.gguf", "00".repeat(32)));
        assertTrue(e.getMessage().startsWith("SHA-256 mismatch for model.gguf"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("model.gguf")));
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "temporary files left behind");
        }
    }

    @Test
    void httpErrorsAndBadUrlsGiveOneLine() {
        ModelFetchException missing = assertThrows(ModelFetchException.class,
                () -> store.fetchUrl(base + "/missing.gguf", "m.gguf", null));
        assertTrue(missing.getMessage().endsWith("HTTP 404"), missing.getMessage());
        ModelFetchException bad = assertThrows(ModelFetchException.class, () -> store.fetchUrl("not a url", "m.gguf", null));
        assertTrue(bad.getMessage().startsWith("not a valid URL"), bad.getMessage());
        assertFalse(missing.getMessage().contains("\n"));
    }
}
