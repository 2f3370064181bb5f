package io.llmc4j.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedPagesTest {
    @TempDir
    Path temp;

    @Test
    void releasedMappedTensorsReadTheSameValuesAgain() throws IOException {
        int rows = 300, cols = 257;   // spans several pages, not page aligned
        float[] values = new float[rows * cols];
        Random random = new Random(22);
        for (int i = 0; i < values.length; i++) values[i] = random.nextFloat() - 0.5f;
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(12);
        bytes.asFloatBuffer().put(values);
        Path file = Files.write(temp.resolve("w.bin"), bytes.array());
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            Tensor weight = Tensor.wrap(mapped.asSlice(12), DType.F32, rows, cols);
            Tensor transposed = weight.transpose(0, 1);
            assertTrue(MappedPages.isMapped(weight));
            assertArrayEquals(values, weight.toFloatArray());
            assertEquals(4L * values.length, MappedPages.release(weight));
            assertArrayEquals(values, weight.toFloatArray(), "pages fault back in from the file");
            assertEquals(4L * values.length, MappedPages.release(transposed), "a strided view releases its span");
            assertArrayEquals(weight.transpose(0, 1).toFloatArray(), transposed.toFloatArray());
        }
    }

    @Test
    void heapAndSymbolicTensorsAreLeftAlone() {
        Tensor heap = Tensor.of(new float[] {1, 2, 3}, 3);
        assertFalse(MappedPages.isMapped(heap));
        assertEquals(0, MappedPages.release(heap));
        assertEquals(0, MappedPages.release(null));
        assertEquals(0, MappedPages.release(Tensor.symbolic(DType.F32, Shape.of(2, 2), "x")));
        assertArrayEquals(new float[] {1, 2, 3}, heap.toFloatArray());
    }
}
