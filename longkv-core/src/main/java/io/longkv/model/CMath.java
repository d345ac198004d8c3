package io.longkv.model;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The C library's cosf and sinf, which llama.cpp's RoPE calls: they are not correctly rounded (glibc's
 * differ from the nearest float for about 1% of RoPE's angles), so matching llama.cpp bit for bit means
 * calling the same functions. Falls back to Java's double functions rounded to float when the platform
 * library cannot be linked.
 */
final class CMath {
    private static final MethodHandle COSF = find("cosf");
    private static final MethodHandle SINF = find("sinf");

    private CMath() {
    }

    private static MethodHandle find(String name) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name)
                    .map(address -> linker.downcallHandle(address,
                            FunctionDescriptor.of(ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_FLOAT), Linker.Option.critical(false)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    static float cosf(float x) {
        if (COSF == null) {
            return (float) Math.cos(x);
        }
        try {
            return (float) COSF.invokeExact(x);
        } catch (Throwable t) {
            throw new IllegalStateException("cosf failed", t);
        }
    }

    static float sinf(float x) {
        if (SINF == null) {
            return (float) Math.sin(x);
        }
        try {
            return (float) SINF.invokeExact(x);
        } catch (Throwable t) {
            throw new IllegalStateException("sinf failed", t);
        }
    }
}
