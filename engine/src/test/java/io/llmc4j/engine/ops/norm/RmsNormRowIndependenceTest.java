package io.llmc4j.engine.ops.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A row's RMSNorm is bit-identical whatever rows surround it: alone, in a small batch (two passes
 * per row, tasks of several rows) or in a large one (the pipelined pass, where a row's squares are
 * summed while the previous row is scaled). Every path must sum a row's squares in the same order.
 */
class RmsNormRowIndependenceTest {
    @ParameterizedTest(name = "{0} rows of {1}")
    @CsvSource({"7, 1000", "2, 4096", "5, 33", "3, 17", "300, 4096", "1100, 1000"})
    void eachRowIsNormalisedAsIfAlone(int rows, int features) {
        Random random = new Random(31L * rows + features);
        Tensor x = Tensor.allocate(DType.F32, rows, features), weight = Tensor.allocate(DType.F32, features);
        for (long i = 0; i < x.elementCount(); i++) x.setFloat((float) (random.nextGaussian() * 3), i / features, i % features);
        for (int i = 0; i < features; i++) weight.setFloat(1 + 0.1f * (float) random.nextGaussian(), i);
        try (Parallel parallel = new Parallel(2)) {
            Tensor batch = RmsNorm.apply(x, weight, 1e-5f, parallel);
            for (int r = 0; r < rows; r += Math.max(1, rows / 9)) {
                Tensor alone = RmsNorm.apply(x.narrow(0, r, 1).contiguous(), weight, 1e-5f, parallel);
                for (int i = 0; i < features; i++)
                    assertEquals(Float.floatToRawIntBits(alone.getFloat(0, i)), Float.floatToRawIntBits(batch.getFloat(r, i)),
                            "row " + r + " element " + i + " of " + rows + "x" + features);
            }
        }
    }
}
