package io.llmc4j.compress.quantization;

import static io.llmc4j.compress.testing.TensorAssertions.assertBitsEqual;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.testing.GoldenCase;
import io.llmc4j.compress.testing.GoldenCases;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module calibration of the golden compressed-model cases, up to (not including) compression: the
 * weight observer (with llm-compressor's weight-observer substitution) and the static input observer
 * over the calibration batches must give the {@code calibrated.*} qparams the library stored; scales are
 * stored in the weight's dtype, as {@code update_offload_parameter} casts them.
 */
class GoldenCalibrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObserverRegistry OBSERVERS = ObserverRegistry.standard();

    static Stream<GoldenCase> calibratedCases() {
        return GoldenCases.all().stream().filter(c -> c.record().has("scheme") && c.hasOutput("calibrated.weight_scale"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calibratedCases")
    void calibratedQParamsMatch(GoldenCase c) {
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("targets", List.of("Linear"));
        recipe.putAll(JSON.convertValue(c.record().get("scheme"), Map.class));
        QuantizationScheme scheme = QuantizationScheme.read(recipe, c.id());
        Tensor weight = c.input("weight");

        QuantizationArgs w = scheme.weights();
        Observer weightObserver = OBSERVERS.create(ObserverRegistry.effectiveName(ObservedRole.WEIGHT, w.observer()), ObservedRole.WEIGHT, w);
        weightObserver.observe(weight);
        check(c, "weight", weightObserver.qparams(), weight);

        QuantizationArgs in = scheme.inputActivations();
        if (in != null && in.dynamic() != DynamicMode.DYNAMIC) {
            assumeTrue(c.hasInput("calib0"), c.id() + ": no calibration batches recorded");
            Observer inputObserver = OBSERVERS.create(ObservedRole.INPUT, in);
            for (int b = 0; c.hasInput("calib" + b); b++) inputObserver.observe(c.input("calib" + b));
            check(c, "input", inputObserver.qparams(), weight);
        }
    }

    private static void check(GoldenCase c, String base, QParams qp, Tensor weight) {
        String prefix = "calibrated." + base + "_";
        if (c.hasOutput(prefix + "scale")) {
            Tensor stored = TensorValues.write(TensorValues.read(qp.scale()), weight.dtype(), qp.scale().shape().toArray());
            assertBitsEqual(c.id() + " " + prefix + "scale", c.output(prefix + "scale"), stored);
        }
        if (c.hasOutput(prefix + "zero_point")) assertBitsEqual(c.id() + " " + prefix + "zero_point", c.output(prefix + "zero_point"), qp.zeroPoint());
        if (c.hasOutput(prefix + "global_scale")) assertBitsEqual(c.id() + " " + prefix + "global_scale", c.output(prefix + "global_scale"), qp.globalScale());
    }
}
