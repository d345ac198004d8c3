package io.longkv.cli;

import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error for prefills that take more than a second; silent when quiet
 * or when standard error is not a terminal.
 */
final class PrefillProgress implements IntConsumer, AutoCloseable {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;

    private final int total;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private ProgressBar bar;

    PrefillProgress(int total, boolean quiet) {
        this.total = total;
        this.enabled = !quiet && System.console() != null;
    }

    @Override
    public void accept(int done) {
        if (!enabled) {
            return;
        }
        if (bar == null && System.nanoTime() - start > SHOW_AFTER_NANOS && done < total) {
            bar = new ProgressBarBuilder().setTaskName("prefill").setInitialMax(total).setUnit(" tok", 1)
                    .setStyle(ProgressBarStyle.ASCII).continuousUpdate().setConsumer(
                            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
        }
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
