package io.longkv.kv.tailor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.longkv.model.Model;
import io.longkv.testing.TestModels;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Profiles the real default model on the start of the default calibration text (kept short so it runs in seconds). */
@Tag("model")
class TailorProfilerModelTest {
    @Test
    void theFirstLayerAttendsDenselyAndMostOthersSparsely() throws Exception {
        try (Model model = Model.load(TestModels.defaultModel())) {
            int[] tokens = Arrays.copyOf(TailorProfiler.tokens(model, TailorProfiler.defaultCalibrationText()), 600);
            TailorProfile profile = TailorProfiler.profile(model, tokens, "test", 0.05, 0.2, 16);
            assertEquals(model.config().blockCount(), profile.layers());
            for (double mass : profile.outsideMass()) {
                assertTrue(mass >= 0 && mass <= 1, "a share of attention mass: " + mass);
            }
            double[] sorted = profile.outsideMass().clone();
            Arrays.sort(sorted);
            assertEquals(sorted[sorted.length - 1], profile.outsideMass()[0], "layer 0 spreads its attention most");
            assertTrue(profile.quantizationFriendly(0), profile.table());
            assertTrue(profile.quantizationLayers().size() <= 3, "the paper's pattern: few dense layers\n" + profile.table());
        }
    }
}
