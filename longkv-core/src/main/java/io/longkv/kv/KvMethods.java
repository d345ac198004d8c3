package io.longkv.kv;

import io.longkv.kv.full.FullMethod;
import io.longkv.kv.h2o.H2oMethod;
import io.longkv.kv.kivi.KiviMethod;
import io.longkv.kv.quest.QuestMethod;
import io.longkv.kv.snapkv.SnapKvMethod;
import io.longkv.kv.streaming.StreamingMethod;
import io.longkv.kv.tailor.TailorMethod;
import java.util.List;

/** The registry of KV methods: add a new method to {@link #ALL}. */
public final class KvMethods {
    private static final List<KvMethod> ALL = List.of(new FullMethod(), new KiviMethod(), new QuestMethod(),
            new StreamingMethod(), new SnapKvMethod(), new H2oMethod(), new TailorMethod());

    private KvMethods() {
    }

    public static List<KvMethod> all() {
        return ALL;
    }

    public static KvMethod byName(String name) {
        for (KvMethod m : ALL) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new KvSpecException("unknown KV method '" + name + "' (known: "
                + String.join(", ", ALL.stream().map(KvMethod::name).toList()) + "; see 'longkv kv list')");
    }
}
