package io.longkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.longkv.gguf.GgmlType;
import io.longkv.gguf.GgufFile;
import io.longkv.gguf.GgufMetadata;
import io.longkv.gguf.GgufTensorInfo;
import java.io.PrintStream;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a GGUF model's architecture, sizes, tensor types and metadata.")
final class ModelInfoCommand implements Callable<Integer> {
    private static final int MAX_VALUE_CHARS = 80;

    @Mixin
    ModelOption modelOption;

    @Option(names = "--tensors", description = "Also list every tensor with its shape and type.")
    boolean listTensors;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path path = modelOption.resolve();
        try (GgufFile gguf = GgufFile.open(path)) {
            Map<String, Object> info = describe(gguf);
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info));
            } else {
                print(gguf, System.out);
            }
        }
        return 0;
    }

    private Map<String, Object> describe(GgufFile gguf) {
        GgufMetadata m = gguf.metadata();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("file", gguf.path().toString());
        info.put("fileBytes", gguf.fileSize());
        info.put("ggufVersion", gguf.version());
        info.put("architecture", m.getString("general.architecture", "unknown"));
        info.put("name", m.getString("general.name", ""));
        info.put("parameters", parameterCount(gguf));
        info.put("tensorCount", gguf.tensors().size());
        Map<String, Map<String, Long>> types = new LinkedHashMap<>();
        typeTotals(gguf).forEach((type, totals) -> types.put(type.name(), Map.of("tensors", totals[0], "bytes", totals[1])));
        info.put("tensorTypes", types);
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String key : m.keys()) {
            metadata.put(key, abbreviate(m.get(key)));
        }
        info.put("metadata", metadata);
        if (listTensors) {
            info.put("tensors", gguf.tensorList().stream().map(t -> Map.of(
                    "name", t.name(), "dims", t.dims(), "type", t.type().name(), "bytes", t.byteSize())).toList());
        }
        return info;
    }

    private void print(GgufFile gguf, PrintStream out) {
        GgufMetadata m = gguf.metadata();
        String arch = m.getString("general.architecture", "unknown");
        out.printf("file:          %s (%.1f MiB, GGUF v%d)%n", gguf.path(), gguf.fileSize() / 1048576.0, gguf.version());
        out.printf("architecture:  %s%n", arch);
        out.printf("name:          %s%n", m.getString("general.name", "-"));
        out.printf("parameters:    %.1f M in %d tensors%n", parameterCount(gguf) / 1e6, gguf.tensors().size());
        out.println("hyperparameters:");
        for (String key : m.keys()) {
            if (key.startsWith(arch + ".")) {
                out.printf("  %-40s %s%n", key.substring(arch.length() + 1), render(m.get(key)));
            }
        }
        if (m.contains("tokenizer.ggml.model")) {
            out.printf("tokenizer:     %s (pre %s), %d tokens%n", m.getString("tokenizer.ggml.model"),
                    m.getString("tokenizer.ggml.pre", "default"),
                    m.contains("tokenizer.ggml.tokens") ? m.getStringArray("tokenizer.ggml.tokens").length : 0);
        }
        out.printf("chat template: %s%n", m.contains("tokenizer.chat_template") ? "yes" : "none");
        out.println("tensor types:");
        typeTotals(gguf).forEach((type, totals) ->
                out.printf("  %-8s %5d tensors %10.2f MiB%n", type, totals[0], totals[1] / 1048576.0));
        out.printf("metadata (%d keys):%n", m.keys().size());
        for (String key : m.keys()) {
            out.printf("  %-40s %s%n", key, render(m.get(key)));
        }
        if (listTensors) {
            out.println("tensors:");
            for (GgufTensorInfo t : gguf.tensorList()) {
                out.printf("  %-32s %-22s %-6s %10d bytes%n", t.name(), Arrays.toString(t.dims()), t.type(), t.byteSize());
            }
        }
    }

    private static long parameterCount(GgufFile gguf) {
        return gguf.tensorList().stream().mapToLong(GgufTensorInfo::elementCount).sum();
    }

    /** Per type: {tensor count, bytes}. */
    private static Map<GgmlType, long[]> typeTotals(GgufFile gguf) {
        Map<GgmlType, long[]> totals = new EnumMap<>(GgmlType.class);
        for (GgufTensorInfo t : gguf.tensorList()) {
            long[] total = totals.computeIfAbsent(t.type(), k -> new long[2]);
            total[0]++;
            total[1] += t.byteSize();
        }
        return totals;
    }

    /** Long arrays become a count and their first values; strings are cut to one line. */
    private static Object abbreviate(Object value) {
        if (value != null && value.getClass().isArray()) {
            int length = Array.getLength(value);
            if (length > 16) {
                return "[" + length + " values]";
            }
        }
        if (value instanceof List<?> list) {
            return "[" + list.size() + " arrays]";
        }
        return value;
    }

    private static String render(Object value) {
        Object v = abbreviate(value);
        String text;
        if (v != null && v.getClass().isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(v); i++) {
                sb.append(i == 0 ? "" : ", ").append(Array.get(v, i));
            }
            text = sb.append(']').toString();
        } else {
            text = String.valueOf(v);
        }
        text = text.replace("\n", "\\n");
        return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "... (" + text.length() + " chars)" : text;
    }
}
