package io.llmc4j.compress.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MxScaleCodesTest {
    @Test
    void everyCodeRoundTrips() {
        float[] scales = new float[255];
        float[] codes = new float[255];
        for (int code = 0; code < 255; code++) {
            scales[code] = Math.scalb(1f, code - 127);
            codes[code] = code;
        }
        Tensor encoded = MxScaleCodes.encode("m", TensorValues.write(scales, DType.F32, 255));
        assertEquals(DType.U8, encoded.dtype());
        assertArrayEquals(codes, TensorValues.read(encoded));
        Tensor decoded = MxScaleCodes.decode(encoded);
        assertEquals(DType.BF16, decoded.dtype());
        assertArrayEquals(scales, TensorValues.read(decoded), "2^-127 (code 0) is a BF16 subnormal and survives");
        assertEquals(Float.POSITIVE_INFINITY, TensorValues.read(MxScaleCodes.decode(TensorValues.write(new float[] {255}, DType.U8, 1)))[0]);
    }

    @Test
    void floorLog2CoversSubnormalsAndNonPowers() {
        assertEquals(-149, MxScaleCodes.floorLog2(Float.MIN_VALUE));
        assertEquals(-127, MxScaleCodes.floorLog2(Math.scalb(1f, -127)));
        assertEquals(-127, MxScaleCodes.floorLog2(Math.scalb(1.5f, -127)));
        assertEquals(1, MxScaleCodes.floorLog2(3.99f));
        assertEquals(127, MxScaleCodes.floorLog2(Float.MAX_VALUE));
    }

    @Test
    void scalesOutsideE8M0AreRefused() {
        var e = assertThrows(FormatException.class, () -> MxScaleCodes.encode("model.proj", Tensor.of(0.5f, 0f)));
        assertEquals("module 'model.proj', parameter 'weight_scale': MX scales must be positive and finite, found 0.0 at index 1", e.getMessage());
        assertThrows(FormatException.class, () -> MxScaleCodes.encode("m", Tensor.of(Math.scalb(1f, -130))));
    }
}
