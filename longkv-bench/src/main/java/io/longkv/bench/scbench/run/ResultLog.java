package io.longkv.bench.scbench.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code results.jsonl}: turn records appended a whole unit (one session in one mode) at a time, so a run that
 * was interrupted resumes after its last finished unit. A torn last line (a kill mid-write) is ignored.
 */
public final class ResultLog {
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    public ResultLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Every record written so far. */
    public List<TurnRecord> read() throws IOException {
        List<TurnRecord> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                records.add(JSON.readValue(lines.get(i), TurnRecord.class));
            } catch (IOException e) {
                if (i < lines.size() - 1) {
                    throw new IOException(file + " line " + (i + 1) + " is not a turn record: " + e.getMessage(), e);
                }
            }
        }
        return records;
    }

    /** The units already finished. */
    public Set<String> finishedUnits() throws IOException {
        Set<String> done = new HashSet<>();
        read().forEach(r -> done.add(r.unitKey()));
        return done;
    }

    /** Cuts a last line left unfinished by a kill, so the next unit starts on a line of its own. */
    private void dropTornTail() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(end);
            }
        }
    }

    public void append(List<TurnRecord> unit) throws IOException {
        StringBuilder text = new StringBuilder();
        for (TurnRecord r : unit) {
            text.append(JSON.writeValueAsString(r)).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        dropTornTail();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(text.toString());
        }
    }
}
