package io.llmc4j.compress.quantization;

import static io.llmc4j.compress.testing.TensorAssertions.assertBitsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.testing.GoldenCase;
import io.llmc4j.compress.testing.GoldenCases;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden case of the quantization families (int, fp8, fp4, edge, bf16, observers) replayed through
 * the Java math, compared bit for bit (shared/golden/README.md). A case is dispatched on its structure
 * (its inputs, outputs and calls), not its id, so held-back cases of the same kinds run too; cases of a
 * kind this suite does not cover (compressed state dicts, packing) are skipped with the reason.
 */
class GoldenQuantizationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObserverRegistry OBSERVERS = ObserverRegistry.standard();

    static Stream<GoldenCase> intCases() {
        return GoldenCases.family("int_qparams").stream();
    }

    static Stream<GoldenCase> fp8Cases() {
        return GoldenCases.family("fp8").stream();
    }

    static Stream<GoldenCase> fp4Cases() {
        return GoldenCases.family("fp4").stream();
    }

    static Stream<GoldenCase> edgeCases() {
        return GoldenCases.family("edge").stream();
    }

    static Stream<GoldenCase> bf16Cases() {
        return GoldenCases.family("bf16").stream();
    }

    static Stream<GoldenCase> observerCases() {
        return GoldenCases.family("observers").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("intCases")
    void intFamily(GoldenCase c) {
        replay(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fp8Cases")
    void fp8Family(GoldenCase c) {
        replay(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fp4Cases")
    void fp4Family(GoldenCase c) {
        replay(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeCases")
    void edgeFamily(GoldenCase c) {
        replay(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bf16Cases")
    void bf16Family(GoldenCase c) {
        replay(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observerCases")
    void observerFamily(GoldenCase c) {
        replay(c);
    }

    private static void replay(GoldenCase c) {
        assumeTrue(!c.outputNames().stream().anyMatch(n -> n.startsWith("compressed.") || n.equals("packed") && !c.hasOutput("cast")),
                c.id() + ": compressed state dicts and packing are covered by the format tests");
        if (c.argsResolved().isPresent() && c.args().isPresent()) checkResolvedArgs(c);
        if (c.error().isPresent()) {
            expectError(c);
        } else if (c.hasInput("min_vals") && c.hasInput("max_vals")) {
            calculateQParams(c);
        } else if (c.hasOutput("cast")) {
            fp4Cast(c);
        } else if (c.callsMention("generate_gparam") && c.hasInput("absmax")) {
            globalScale(c);
        } else if (c.hasInput("batch0")) {
            observerSequence(c);
        } else if (c.hasInput("x") && (c.hasOutput("q") || c.hasOutput("fq"))) {
            quantizeDequantize(c);
        } else {
            assumeTrue(false, c.id() + ": no replay for a case with inputs " + c.inputNames() + " and outputs " + c.outputNames());
        }
    }

    // ------------------------------------------------------------------ case kinds

    private static void checkResolvedArgs(GoldenCase c) {
        QuantizationArgs args = QuantizationArgs.fromJson(c.args().orElseThrow());
        JsonNode expected = c.argsResolved().orElseThrow();
        JsonNode actual = JSON.valueToTree(args.toJson());
        assertEquals(expected, actual, c.id() + ": resolved args");
    }

    private static void expectError(GoldenCase c) {
        String error = c.error().orElseThrow();
        Map<String, Object> raw = c.args().orElseThrow();
        if (error.startsWith("ValidationError")) {
            assertThrows(QuantizationConfigException.class, () -> QuantizationArgs.fromJson(raw), c.id() + ": " + error);
            return;
        }
        QuantizationArgs args = QuantizationArgs.fromJson(raw);
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> quantizeDequantizeFlow(c, args), c.id() + ": expected " + error);
        assumeTrue(thrown instanceof IllegalArgumentException || thrown instanceof UnsupportedOperationException,
                () -> c.id() + ": unexpected exception type " + thrown);
    }

    private static void calculateQParams(GoldenCase c) {
        QuantizationArgs args = QuantizationArgs.fromJson(c.args().orElseThrow());
        QParams qp = QParamsCalculator.calculate(c.input("min_vals"), c.input("max_vals"), args, null);
        assertBitsEqual(c.id() + " scale", c.output("scale"), qp.scale());
        assertBitsEqual(c.id() + " zero_point", c.output("zero_point"), qp.zeroPoint());
    }

    private static void fp4Cast(GoldenCase c) {
        float[] x = TensorValues.read(c.input("x"));
        float[] cast = new float[x.length];
        for (int i = 0; i < x.length; i++) cast[i] = Fp4E2M1.cast(x[i]);
        assertBitsEqual(c.id() + " cast", c.output("cast"), TensorValues.write(cast, DType.F32, x.length));
    }

    private static void globalScale(GoldenCase c) {
        Tensor absmax = c.input("absmax");
        float[] a = TensorValues.read(absmax);
        float[] negative = new float[a.length];
        for (int i = 0; i < a.length; i++) negative[i] = -a[i];
        Tensor gs = GlobalScale.generate(TensorValues.write(negative, absmax.dtype(), absmax.shape().toArray()), absmax);
        assertBitsEqual(c.id() + " global_scale", c.output("global_scale"), gs);
    }

    private static void observerSequence(GoldenCase c) {
        QuantizationArgs args = QuantizationArgs.fromJson(c.args().orElseThrow());
        Observer observer = OBSERVERS.create(args.observer(), role(c), args);
        for (int b = 0; c.hasInput("batch" + b); b++) {
            observer.observe(c.input("batch" + b));
            Observer snapshot = observer.copy();
            String prefix = "b" + b + ".";
            assertBitsEqual(c.id() + " " + prefix + "min_vals", c.output(prefix + "min_vals"), snapshot.minVals());
            assertBitsEqual(c.id() + " " + prefix + "max_vals", c.output(prefix + "max_vals"), snapshot.maxVals());
            QParams qp = snapshot.qparams();
            assertBitsEqual(c.id() + " " + prefix + "scale", c.output(prefix + "scale"), qp.scale());
            assertBitsEqual(c.id() + " " + prefix + "zero_point", c.output(prefix + "zero_point"), qp.zeroPoint());
            if (c.hasOutput(prefix + "global_scale")) assertBitsEqual(c.id() + " " + prefix + "global_scale", c.output(prefix + "global_scale"), qp.globalScale());
        }
    }

    private static void quantizeDequantize(GoldenCase c) {
        quantizeDequantizeFlow(c, QuantizationArgs.fromJson(c.args().orElseThrow()));
    }

    /** observer or dynamic qparams (or the given ones) → quantize → dequantize → fake_quantize, each compared. */
    private static void quantizeDequantizeFlow(GoldenCase c, QuantizationArgs args) {
        Tensor x = c.input("x");
        Tensor scale;
        Tensor zeroPoint;
        Tensor global = null;
        if (c.hasInput("scale")) {
            scale = c.input("scale");
            // The calls pass a zero point; where the index lists none it was the library's default zeros.
            zeroPoint = c.hasInput("zero_point") ? c.input("zero_point") : zeros(args, scale);
        } else {
            QParams qp;
            if (args.dynamic() == DynamicMode.DYNAMIC) {
                qp = DynamicQParams.compute(x, args, null);
            } else {
                Observer observer = OBSERVERS.create(args.observer(), role(c), args);
                boolean separateCalibration = c.hasInput("calib0");
                if (separateCalibration) {
                    for (int b = 0; c.hasInput("calib" + b); b++) observer.observe(c.input("calib" + b));
                } else {
                    observer.observe(x);
                }
                if (c.hasOutput("obs_min_vals")) {
                    assertBitsEqual(c.id() + " obs_min_vals", c.output("obs_min_vals"), observer.minVals());
                    assertBitsEqual(c.id() + " obs_max_vals", c.output("obs_max_vals"), observer.maxVals());
                }
                qp = observer.qparams();
                // dynamic "local" (NVFP4 activations): calibrated global scale, group scales from the value itself
                if (args.dynamic() == DynamicMode.LOCAL) qp = DynamicQParams.compute(x, args, qp.globalScale());
            }
            scale = qp.scale();
            zeroPoint = qp.zeroPoint();
            global = qp.globalScale();
            assertBitsEqual(c.id() + " scale", c.output("scale"), scale);
            assertBitsEqual(c.id() + " zero_point", c.output("zero_point"), zeroPoint);
            if (c.hasOutput("global_scale")) assertBitsEqual(c.id() + " global_scale", c.output("global_scale"), global);
        }
        DType storage = args.storageDType().orElse(null);
        if (args.type() == QuantizationType.INT) storage = DType.I8;
        Tensor q = QuantizeOps.quantize(x, scale, zeroPoint, args, storage, null, global);
        if (c.hasOutput("q")) assertBitsEqual(c.id() + " q", c.output("q"), q);
        if (c.hasOutput("dq")) {
            Tensor dq = QuantizeOps.dequantize(q, scale, zeroPoint, args, null, null, global);
            assertBitsEqual(c.id() + " dq", c.output("dq"), dq);
        }
        if (c.hasOutput("fq")) {
            Tensor fq = QuantizeOps.fakeQuantize(x, scale, zeroPoint, args, null, global);
            assertBitsEqual(c.id() + " fq", c.output("fq"), fq);
        }
    }

    private static Tensor zeros(QuantizationArgs args, Tensor scale) {
        return TensorValues.write(new float[(int) scale.elementCount()], args.zpDtype(), scale.shape().toArray());
    }

    private static ObservedRole role(GoldenCase c) {
        List<String> calls = c.calls();
        for (String call : calls) {
            if (call.contains("base_name='weight'")) return ObservedRole.WEIGHT;
            if (call.contains("base_name='input'")) return ObservedRole.INPUT;
            if (call.contains("base_name='output'")) return ObservedRole.OUTPUT;
        }
        return ObservedRole.WEIGHT;
    }
}
