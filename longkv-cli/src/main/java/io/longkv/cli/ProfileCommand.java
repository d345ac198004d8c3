package io.longkv.cli;

import io.longkv.kv.tailor.TailorProfile;
import io.longkv.kv.tailor.TailorProfiler;
import io.longkv.model.Model;
import io.longkv.tensor.Parallel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"TailorKV's layer identification: prefills a calibration text, measures per layer the mean attention",
                "mass outside each row's top alpha of keys over the last queries, classifies layers (quantization-friendly",
                "when above beta, else sparsity-friendly) and writes <model>.tailor-profile.json, which 'tailor' uses."})
final class ProfileCommand implements Callable<Integer> {
    @Mixin
    ModelOption modelOption;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "Calibration text (default: chapters 1-2 of Pride and Prejudice and a question, shipped with LongKV).")
    Path calibration;

    @Option(names = "--alpha", defaultValue = "" + TailorProfile.DEFAULT_ALPHA, description = "Share of keys kept per row (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--beta", defaultValue = "" + TailorProfile.DEFAULT_BETA,
            description = "Mass outside the top keys above which a layer is quantization-friendly (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--last-q", defaultValue = "" + TailorProfile.DEFAULT_LAST_Q, paramLabel = "N",
            description = "Last queries of the prompt measured (default: ${DEFAULT-VALUE}).")
    int lastQ;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the profile (default: next to the model).")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Path modelPath = modelOption.resolve();
        try (Model model = Model.load(modelPath)) {
            String text = calibration == null ? TailorProfiler.defaultCalibrationText() : Files.readString(calibration, StandardCharsets.UTF_8);
            String label = calibration == null ? TailorProfiler.DEFAULT_CALIBRATION : calibration.getFileName().toString();
            long start = System.nanoTime();
            TailorProfile profile = TailorProfiler.profile(model, TailorProfiler.tokens(model, text), label, alpha, beta, lastQ);
            Path file = output != null ? output : TailorProfile.pathFor(modelPath);
            profile.write(file);
            System.out.print(profile.table());
            System.out.printf("%d calibration tokens (%s), alpha %s, beta %s, last-q %d, %.1f s; quantization-friendly layers: %s%nwrote %s%n",
                    profile.calibrationTokens(), label, alpha, beta, lastQ, (System.nanoTime() - start) / 1e9,
                    profile.quantizationLayers(), file);
        }
        return 0;
    }
}
