package io.longkv.kv.tailor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TailorKV's offline layer identification for one model: per layer, the mean attention mass outside each row's
 * top {@code alpha} of keys over the calibration prompt's last {@code lastQ} queries. A layer whose mass
 * exceeds {@code beta} attends densely and is quantization-friendly; the others are sparsity-friendly.
 *
 * @param modelFile the GGUF file name the profile was made for
 * @param modelIdentity the model's fingerprint ({@link io.longkv.model.ModelIdentity}, hex)
 * @param calibration what was prefilled ({@code default} or a file name)
 * @param outsideMass per layer, the mean mass outside the top alpha keys
 */
public record TailorProfile(String modelFile, String modelIdentity, double alpha, double beta, int lastQ, String calibration,
                            int calibrationTokens, double[] outsideMass) {
    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_BETA = 0.2;
    public static final int DEFAULT_LAST_Q = 32;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public int layers() {
        return outsideMass.length;
    }

    /** Whether layer {@code layer} is quantization-friendly (dense attention: mass outside the top keys above beta). */
    public boolean quantizationFriendly(int layer) {
        return outsideMass[layer] > beta;
    }

    /** The quantization-friendly layers, ascending. */
    public List<Integer> quantizationLayers() {
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            if (quantizationFriendly(l)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Where the profile of {@code model} lives by default: next to it. */
    public static Path pathFor(Path model) {
        return model.resolveSibling(model.getFileName() + ".tailor-profile.json");
    }

    /** Writes the JSON atomically (a temporary file renamed over the target). */
    public void write(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "longkv-tailor-profile-1");
        root.put("model_file", modelFile);
        root.put("model_identity", modelIdentity);
        root.put("alpha", alpha);
        root.put("beta", beta);
        root.put("last_q", lastQ);
        root.put("calibration", calibration);
        root.put("calibration_tokens", calibrationTokens);
        List<Map<String, Object>> layerList = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", l);
            m.put("outside_mass", outsideMass[l]);
            m.put("class", quantizationFriendly(l) ? "quantization" : "sparsity");
            layerList.add(m);
        }
        root.put("layers", layerList);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a profile written by {@link #write}; malformed files fail with an {@link IOException} naming the file. */
    public static TailorProfile read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read the TailorKV profile " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !"longkv-tailor-profile-1".equals(root.path("format").asText())) {
            throw new IOException(file + " is not a TailorKV profile (format longkv-tailor-profile-1)");
        }
        JsonNode layers = root.path("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new IOException("the TailorKV profile " + file + " lists no layers");
        }
        double[] mass = new double[layers.size()];
        for (int l = 0; l < mass.length; l++) {
            JsonNode node = layers.get(l);
            if (node.path("layer").asInt(-1) != l || !node.path("outside_mass").isNumber()) {
                throw new IOException("the TailorKV profile " + file + " has a bad entry for layer " + l);
            }
            mass[l] = node.path("outside_mass").asDouble();
        }
        return new TailorProfile(root.path("model_file").asText(), root.path("model_identity").asText(),
                root.path("alpha").asDouble(), root.path("beta").asDouble(), root.path("last_q").asInt(),
                root.path("calibration").asText(), root.path("calibration_tokens").asInt(), mass);
    }

    /** The per-layer table {@code profile} prints. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-6s %-13s %s%n", "layer", "outside mass", "class"));
        for (int l = 0; l < layers(); l++) {
            out.append(String.format(Locale.ROOT, "%-6d %-13.4f %s%n", l, outsideMass[l], quantizationFriendly(l) ? "quantization" : "sparsity"));
        }
        return out.toString();
    }
}
