package io.llmc4j.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Window;
import org.junit.jupiter.api.Test;

class HeapArraysTest {
    private static final int LARGE = (int) (HeapArrays.ALIGN_FROM_BYTES / 4) * 3 + 5;

    @Test
    void largeTensorsStartOnACacheLine() {
        assumeTrue(HeapArrays.aligning(), "the JVM grants no native access, so arrays are used as allocated");
        for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.I8, DType.I64}) {
            long count = HeapArrays.ALIGN_FROM_BYTES / dtype.byteSize() + 5;
            Tensor t = Tensor.allocate(dtype, count);
            long address = HeapArrays.addressOf(t.segment());
            assertTrue(address > 0, dtype + ": address of a heap array");
            assertEquals(0, address % HeapArrays.LINE, dtype + " tensor of " + count + " elements starts mid-line");
        }
    }

    @Test
    void alignedTensorsHoldExactlyTheirElementsAndStartZeroed() {
        Tensor t = Tensor.allocate(DType.F32, 3, LARGE / 3);
        assertEquals(4L * 3 * (LARGE / 3), t.segment().byteSize());
        for (long i = 0; i < t.elementCount(); i += 997) assertEquals(0f, t.getFloat(i / (LARGE / 3), i % (LARGE / 3)));
        t.setFloat(7f, 2, LARGE / 3 - 1);
        assertEquals(7f, t.segment().get(Tensor.F32, t.segment().byteSize() - 4), "the last element is the segment's last");
    }

    @Test
    void kernelsSeeTheSliceThroughTheSegmentAddress() {
        Tensor t = Tensor.allocate(DType.F32, LARGE);
        for (int i = 0; i < 100; i++) t.setFloat(i + 0.5f, i);
        Window window = FloatData.of(t).read(0, 100, new Window());
        for (int i = 0; i < 100; i++) assertEquals(i + 0.5f, window.array()[window.offset() + i], "element " + i);
    }

    @Test
    void smallTensorsUseTheirWholeArray() {
        Tensor t = Tensor.allocate(DType.F32, 1000);
        assertEquals(0, t.segment().address(), "a small tensor's segment is its whole array");
        assertEquals(4000, t.segment().heapBase().map(a -> ((float[]) a).length * 4).orElseThrow());
    }
}
