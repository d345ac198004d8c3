package io.longkv.kv;

import io.longkv.model.Model;
import io.longkv.model.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed KV spec: one method for every layer ({@code full:dtype=f16}) or per-layer rules
 * ({@code layers=0-1:full;2-:quest:budget=1024}). Ranges are inclusive, {@code 2-} is open-ended,
 * a single number is one layer; rules may not overlap and must cover every layer of the model.
 * {@link #toString()} is the canonical form, with every default filled in.
 */
public final class KvSpec {
    /** One rule: layers {@code first..last} (last = -1 for open-ended) use {@code method} with {@code params}. */
    public record Rule(int first, int last, KvMethod method, KvParams params) {
        boolean covers(int layer) {
            return layer >= first && (last < 0 || layer <= last);
        }

        String methodSpec() {
            String p = params.toString();
            return method.name() + (p.isEmpty() ? "" : ":" + p);
        }
    }

    private static final String LAYERS = "layers=";
    private final List<Rule> rules;

    private KvSpec(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static KvSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new KvSpecException("empty KV spec; expected e.g. full:dtype=f16 (see 'longkv kv list')");
        }
        String spec = text.strip();
        if (!spec.startsWith(LAYERS)) {
            return new KvSpec(List.of(method(spec, 0, -1)));
        }
        List<Rule> rules = new ArrayList<>();
        for (String part : spec.substring(LAYERS.length()).split(";")) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw new KvSpecException("per-layer rule '" + part.strip() + "' needs RANGE:METHOD, e.g. 0-1:full");
            }
            int[] range = range(part.substring(0, colon).strip());
            Rule rule = method(part.substring(colon + 1).strip(), range[0], range[1]);
            for (Rule other : rules) {
                if (overlaps(rule, other)) {
                    throw new KvSpecException("per-layer rules '" + other.methodSpec() + "' and '" + rule.methodSpec() + "' overlap");
                }
            }
            rules.add(rule);
        }
        return new KvSpec(rules);
    }

    /** {@code name} or {@code name:k=v,k=v}, covering layers first..last. */
    private static Rule method(String text, int first, int last) {
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).strip();
        KvMethod method = KvMethods.byName(name);
        Map<String, String> given = new LinkedHashMap<>();
        if (colon >= 0 && !text.substring(colon + 1).isBlank()) {
            for (String pair : text.substring(colon + 1).split(",")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new KvSpecException("KV method '" + name + "': parameter '" + pair.strip() + "' needs NAME=VALUE");
                }
                String key = pair.substring(0, eq).strip();
                if (given.put(key, pair.substring(eq + 1)) != null) {
                    throw new KvSpecException("KV method '" + name + "': parameter '" + key + "' given twice");
                }
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (KvParam p : method.params()) {
            String raw = given.remove(p.name());
            if (raw == null && p.defaultValue() == null) {
                throw new KvSpecException("KV method '" + name + "' needs parameter '" + p.name() + "' (" + p.description() + ")");
            }
            values.put(p.name(), p.parse(name, raw != null ? raw : p.defaultValue()));
        }
        if (!given.isEmpty()) {
            throw new KvSpecException("KV method '" + name + "' has no parameter '" + given.keySet().iterator().next()
                    + "' (parameters: " + String.join(", ", method.params().stream().map(KvParam::name).toList()) + ")");
        }
        return new Rule(first, last, method, new KvParams(values));
    }

    private static int[] range(String text) {
        try {
            int dash = text.indexOf('-');
            if (dash < 0) {
                int layer = Integer.parseInt(text);
                return checkRange(text, layer, layer);
            }
            int first = Integer.parseInt(text.substring(0, dash).strip());
            String tail = text.substring(dash + 1).strip();
            return checkRange(text, first, tail.isEmpty() ? -1 : Integer.parseInt(tail));
        } catch (NumberFormatException e) {
            throw new KvSpecException("bad layer range '" + text + "'; expected N, N-M or N-");
        }
    }

    private static int[] checkRange(String text, int first, int last) {
        if (first < 0 || (last >= 0 && last < first)) {
            throw new KvSpecException("bad layer range '" + text + "'");
        }
        return new int[] {first, last};
    }

    private static boolean overlaps(Rule a, Rule b) {
        int aLast = a.last < 0 ? Integer.MAX_VALUE : a.last;
        int bLast = b.last < 0 ? Integer.MAX_VALUE : b.last;
        return a.first <= bLast && b.first <= aLast;
    }

    /** Checks the spec against a model: every layer covered exactly, no rule past the last layer, each method's own checks. */
    public void check(ModelConfig model) {
        int layers = model.blockCount();
        for (int layer = 0; layer < layers; layer++) {
            rule(layer);
        }
        for (Rule r : rules) {
            if (r.first >= layers || r.last >= layers) {
                throw new KvSpecException("KV spec rule for layers " + r.first + "-" + (r.last < 0 ? "" : r.last)
                        + " is past the model's last layer " + (layers - 1));
            }
            r.method.check(model, r.params);
        }
    }

    /** This spec with every rule's method {@link KvMethod#prepare prepared} for {@code model} (same text). */
    public KvSpec prepare(Model model) {
        check(model.config());
        List<Rule> prepared = new ArrayList<>();
        for (Rule r : rules) {
            prepared.add(new Rule(r.first, r.last, r.method.prepare(model, r.params), r.params));
        }
        return new KvSpec(prepared);
    }

    /** The rule that covers {@code layer}. */
    public Rule rule(int layer) {
        for (Rule r : rules) {
            if (r.covers(layer)) {
                return r;
            }
        }
        throw new KvSpecException("KV spec '" + this + "' does not cover layer " + layer);
    }

    public List<Rule> rules() {
        return rules;
    }

    @Override
    public String toString() {
        if (rules.size() == 1 && rules.getFirst().first == 0 && rules.getFirst().last < 0) {
            return rules.getFirst().methodSpec();
        }
        StringBuilder out = new StringBuilder(LAYERS);
        for (Rule r : rules) {
            out.append(out.length() == LAYERS.length() ? "" : ";").append(r.first).append('-')
                    .append(r.last < 0 ? "" : Integer.toString(r.last)).append(':').append(r.methodSpec());
        }
        return out.toString();
    }
}
