package io.llmc4j.compress.quantization.gptq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.compress.testing.GoldenCase;
import io.llmc4j.compress.testing.GoldenCases;
import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@code gptq/*} case of {@code shared/golden/gptq.npz} (LLM Compressor's
 * {@code accumulate_hessian} and {@code quantize_weight}) replayed. As the golden README allows for
 * GPTQ (LAPACK Cholesky and f32 matmul order), weights and codes may differ by a few ±1 code flips;
 * scales and zero points are bit-exact, the loss within 1e-4 relative. Prints which cases match bit for bit.
 */
class GoldenGptqTest {
    /** At most this many codes may differ, each by one step. */
    private static final int MAX_FLIPS = 4;
    private static Parallel parallel;

    @BeforeAll
    static void start() {
        parallel = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        parallel.close();
    }

    private static List<GoldenCase> cases() {
        return GoldenCases.all().stream().filter(c -> c.id().startsWith("gptq/")).toList();
    }

    @Test
    void hessianAccumulationMatches() {
        GoldenCase c = GoldenCases.byId("gptq/hessian");
        Tensor x = c.input("X");
        int calls = Math.toIntExact(x.dim(0)), columns = Math.toIntExact(x.dim(2));
        HessianSum sum = new HessianSum(columns);
        for (int i = 0; i < calls; i++) sum.add(x.narrow(0, i, 1), null, parallel);
        assertEquals(TensorValues.scalar(c.output("num_samples"), "num_samples"), sum.samples());
        float[] expected = TensorValues.read(c.output("H_sum")), lower = sum.lowerSum();
        int exact = 0;
        for (int i = 0; i < columns; i++)
            for (int j = 0; j <= i; j++) {
                float e = expected[i * columns + j], a = lower[i * columns + j];
                assertEquals(e, a, 1e-5 * Math.max(1, Math.abs(e)), "H_sum[" + i + "][" + j + "]");
                if (Float.floatToRawIntBits(e) == Float.floatToRawIntBits(a)) exact++;
            }
        System.out.printf(Locale.ROOT, "golden gptq/hessian: %d of %d lower-triangle entries bit-exact%n", exact, columns * (columns + 1) / 2);
    }

    @Test
    void quantizeWeightMatchesEveryCase() {
        List<GoldenCase> cases = cases().stream().filter(c -> c.args().isPresent()).toList();
        assertFalse(cases.isEmpty(), "no gptq/* quantize_weight cases in the golden folder");
        for (GoldenCase c : cases) replay(c);
    }

    private static void replay(GoldenCase c) {
        QuantizationArgs args = QuantizationArgs.fromJson(c.args().orElseThrow());
        Tensor weight = c.input("W");
        float[] h = TensorValues.read(c.input("H_mean"));
        Map<String, Object> record = Map.of("blocksize", c.record().get("blocksize").asInt(), "percdamp", c.record().get("percdamp").floatValue());
        Function<Tensor, QParams> observer = t -> {
            Observer o = ObserverRegistry.standard().create("memoryless_minmax", ObservedRole.WEIGHT, args);
            o.observe(t);
            return o.qparams();
        };
        GptqResult result = Gptq.quantize(weight, h, args, observer, (int) record.get("blocksize"), (float) record.get("percdamp"), parallel);
        assertTrue(result.inverted(), c.id() + ": Hessian not inverted");
        assertSameBits(c.id() + " weight_scale", c.output("weight_scale"), result.qparams().scale());
        assertSameValues(c.id() + " weight_zero_point", c.output("weight_zero_point"), result.qparams().zeroPoint());
        Tensor codes = QuantizeOps.quantize(result.weight(), result.qparams().scale(), result.qparams().zeroPoint(), args, DType.I8, result.gIdx(),
                result.qparams().globalScale());
        float[] expectedQ = TensorValues.read(c.output("q")), actualQ = TensorValues.read(codes);
        int flips = 0;
        for (int i = 0; i < expectedQ.length; i++) {
            float delta = Math.abs(expectedQ[i] - actualQ[i]);
            assertTrue(delta <= 1, c.id() + ": code " + i + " is " + actualQ[i] + ", library " + expectedQ[i]);
            if (delta != 0) flips++;
        }
        assertTrue(flips <= MAX_FLIPS, c.id() + ": " + flips + " codes differ by one step");
        float[] expectedW = TensorValues.read(c.output("weight")), actualW = TensorValues.read(result.weight());
        int sameBits = 0;
        for (int i = 0; i < expectedW.length; i++) if (Float.floatToRawIntBits(expectedW[i]) == Float.floatToRawIntBits(actualW[i])) sameBits++;
        assertEquals(c.output("weight").dtype(), result.weight().dtype(), c.id() + ": weight dtype");
        double loss = c.record().get("loss").asDouble();
        assertEquals(loss, result.loss(), 1e-4 * Math.abs(loss), c.id() + ": loss");
        System.out.printf(Locale.ROOT, "golden %-36s codes differing %d of %d; weight bit-exact %d of %d; loss %.9g (library %.9g)%n",
                c.id(), flips, expectedQ.length, sameBits, expectedW.length, result.loss(), loss);
    }

    private static void assertSameBits(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        float[] e = TensorValues.read(expected), a = TensorValues.read(actual);
        assertEquals(e.length, a.length, what + " size");
        for (int i = 0; i < e.length; i++) assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), what + "[" + i + "]");
    }

    private static void assertSameValues(String what, Tensor expected, Tensor actual) {
        float[] e = TensorValues.read(expected), a = TensorValues.read(actual);
        assertEquals(e.length, a.length, what + " size");
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], what + "[" + i + "]");
    }
}
