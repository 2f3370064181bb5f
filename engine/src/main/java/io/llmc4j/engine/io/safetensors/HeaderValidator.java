package io.llmc4j.engine.io.safetensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that header entries describe a well-formed data section, as the safetensors format requires
 * (and huggingface/safetensors {@code Metadata::validate} enforces):
 * <ul>
 *   <li>each tensor's {@code data_offsets} lie inside the data section;</li>
 *   <li>each spans exactly shape × dtype bytes;</li>
 *   <li>no two tensors overlap;</li>
 *   <li>the tensors cover the data section with no hole and no trailing bytes.</li>
 * </ul>
 */
final class HeaderValidator {
    private static final Comparator<TensorInfo> BY_OFFSETS =
            Comparator.comparingLong(TensorInfo::beginOffset).thenComparingLong(TensorInfo::endOffset);

    private HeaderValidator() {
    }

    /** The tensors in data order; throws {@link SafetensorsException} on the first violation. */
    static List<TensorInfo> validate(Path file, List<TensorInfo> tensors, long dataByteSize) {
        for (TensorInfo t : tensors) checkOne(file, t, dataByteSize);
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(BY_OFFSETS);
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.beginOffset() < covered)
                throw new SafetensorsException(file, t.name(), "data_offsets [" + t.beginOffset() + ", " + t.endOffset()
                        + "] overlap tensor '" + previous.name() + "' at [" + previous.beginOffset() + ", " + previous.endOffset()
                        + "]; expected this tensor to begin at or after " + covered);
            if (t.beginOffset() > covered)
                throw new SafetensorsException(file, t.name(), "data section bytes [" + covered + ", " + t.beginOffset()
                        + ") before this tensor belong to no tensor; expected it to begin at " + covered
                        + " (safetensors requires the tensors to cover the data section without holes)");
            covered = t.endOffset();
            previous = t;
        }
        if (covered != dataByteSize)
            throw new SafetensorsException(file, "data section bytes [" + covered + ", " + dataByteSize
                    + ") after the last tensor belong to no tensor; expected the tensors to end exactly at the end of the "
                    + dataByteSize + "-byte data section");
        return sorted;
    }

    private static void checkOne(Path file, TensorInfo t, long dataByteSize) {
        if (t.endOffset() > dataByteSize)
            throw new SafetensorsException(file, t.name(), "data_offsets [" + t.beginOffset() + ", " + t.endOffset()
                    + "] reach past the end of the data section, which has " + dataByteSize + " bytes");
        long expected;
        try {
            expected = t.expectedByteSize();
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, t.name(), t.dtype() + "" + t.shape() + " needs more bytes than fit in a long", e);
        }
        if (t.byteSize() != expected)
            throw new SafetensorsException(file, t.name(), "data_offsets [" + t.beginOffset() + ", " + t.endOffset() + "] span "
                    + t.byteSize() + " bytes, but " + t.dtype() + t.shape() + " needs " + expected + " bytes");
    }
}
