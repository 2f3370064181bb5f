package io.llmc4j.compress.format;

import io.llmc4j.compress.format.pack.Int32Packing;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.QuantizationType;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code pack-quantized} format (compressed-tensors {@code PackedQuantizationCompressor}) for int
 * weights of 1..8 bits:
 *
 * <pre>
 *   weight [rows, cols] float  ──quantize(int8)──►  q [rows, cols]  ──{@link Int32Packing} dim 1──►  weight_packed I32 [rows, ⌈cols·b/32⌉]
 *   weight_shape        I64 [2] = [rows, cols]
 *   weight_scale        as calibrated (dtype of the module's params)
 *   weight_zero_point   asymmetric group/channel: packed along dim 0, I32 [⌈rows·b/32⌉, groups]
 *                       asymmetric tensor: kept as is (int8 (1,)); symmetric: dropped
 * </pre>
 *
 * Decompression unpacks (zero points to int8 [rows, groups]) and dequantizes to the scale's dtype.
 * Stateless.
 */
public record PackQuantizedCompressor() implements Compressor {
    @Override
    public CompressionFormat format() {
        return CompressionFormat.PACK_QUANTIZED;
    }

    @Override
    public Map<String, Tensor> compress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        QuantizationArgs args = intArgs(module, scheme);
        Tensor weight = ModuleState.requireFloatWeight(module, state);
        Tensor scale = ModuleState.require(module, state, ModuleState.WEIGHT_SCALE, "quantized weights need their scales");
        Tensor zeroPoint = state.get(ModuleState.WEIGHT_ZERO_POINT);
        Tensor q = QuantizeOps.quantize(weight, scale, zeroPoint, args, DType.I8, state.get(ModuleState.WEIGHT_G_IDX), null);
        int rows = Math.toIntExact(weight.dim(0)), cols = Math.toIntExact(weight.dim(1));
        int[] packed = Int32Packing.pack(bytes(q), rows, cols, args.numBits(), 1);

        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.remove(ModuleState.WEIGHT);
        out.put(ModuleState.WEIGHT_PACKED, ints(packed, rows, Int32Packing.wordsFor(cols, args.numBits())));
        out.put(ModuleState.WEIGHT_SHAPE, Tensor.ofLongs(new long[] {rows, cols}, 2));
        if (!args.symmetric() && packsZeroPoint(args)) {
            Tensor zp = ModuleState.require(module, state, ModuleState.WEIGHT_ZERO_POINT, "asymmetric quantization needs zero points");
            if (zp.rank() != 2)
                throw FormatException.parameter(module, ModuleState.WEIGHT_ZERO_POINT, "expected [rows, groups] zero points for strategy "
                        + args.strategy().value() + ", found " + zp.shape());
            int zpRows = Math.toIntExact(zp.dim(0)), zpCols = Math.toIntExact(zp.dim(1));
            int[] packedZp = Int32Packing.pack(integerBytes(module, zp), zpRows, zpCols, args.numBits(), 0);
            out.put(ModuleState.WEIGHT_ZERO_POINT, ints(packedZp, Int32Packing.wordsFor(zpRows, args.numBits()), zpCols));
        }
        ModuleState.dropSymmetricZeroPoints(out, scheme);
        return out;
    }

    @Override
    public Map<String, Tensor> decompress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        QuantizationArgs args = intArgs(module, scheme);
        Tensor packed = ModuleState.require(module, state, ModuleState.WEIGHT_PACKED, "pack-quantized stores the packed weight");
        Tensor shape = ModuleState.require(module, state, ModuleState.WEIGHT_SHAPE, "pack-quantized stores the weight's shape");
        Tensor scale = ModuleState.require(module, state, ModuleState.WEIGHT_SCALE, "dequantizing needs the weight scales");
        if (shape.elementCount() != 2 || shape.dtype().isFloatingPoint())
            throw FormatException.parameter(module, ModuleState.WEIGHT_SHAPE, "expected an integer [rows, cols], found " + shape.dtype() + shape.shape());
        long[] dims = shape.toLongArray();
        int rows = Math.toIntExact(dims[0]), cols = Math.toIntExact(dims[1]);
        int words = Int32Packing.wordsFor(cols, args.numBits());
        if (packed.dtype() != DType.I32 || packed.rank() != 2 || packed.dim(0) != rows || packed.dim(1) != words)
            throw FormatException.parameter(module, ModuleState.WEIGHT_PACKED, "expected I32 [" + rows + ", " + words + "] for a "
                    + rows + "x" + cols + " weight of " + args.numBits() + " bits, found " + packed.dtype() + packed.shape());

        Map<String, Tensor> out = new LinkedHashMap<>(state);
        Tensor zeroPoint = state.get(ModuleState.WEIGHT_ZERO_POINT);
        if (!args.symmetric() && packsZeroPoint(args)) {
            Tensor packedZp = ModuleState.require(module, state, ModuleState.WEIGHT_ZERO_POINT, "asymmetric quantization needs zero points");
            int groups = Math.toIntExact(scale.dim(scale.rank() - 1));
            int zpWords = Int32Packing.wordsFor(rows, args.numBits());
            if (packedZp.dtype() != DType.I32 || packedZp.rank() != 2 || packedZp.dim(0) != zpWords || packedZp.dim(1) != groups)
                throw FormatException.parameter(module, ModuleState.WEIGHT_ZERO_POINT, "expected packed I32 [" + zpWords + ", " + groups
                        + "], found " + packedZp.dtype() + packedZp.shape());
            byte[] zp = Int32Packing.unpack(intArray(packedZp), rows, groups, args.numBits(), 0);
            zeroPoint = Tensor.wrap(MemorySegment.ofArray(zp), DType.I8, rows, groups);
            out.put(ModuleState.WEIGHT_ZERO_POINT, zeroPoint);
        }
        byte[] q = Int32Packing.unpack(intArray(packed), rows, cols, args.numBits(), 1);
        Tensor unpacked = Tensor.wrap(MemorySegment.ofArray(q), DType.I8, rows, cols);
        out.remove(ModuleState.WEIGHT_PACKED);
        out.remove(ModuleState.WEIGHT_SHAPE);
        out.put(ModuleState.WEIGHT, QuantizeOps.dequantize(unpacked, scale, zeroPoint, args, null, state.get(ModuleState.WEIGHT_G_IDX), null));
        return out;
    }

    private static boolean packsZeroPoint(QuantizationArgs args) {
        return args.strategy() == QuantizationStrategy.GROUP || args.strategy() == QuantizationStrategy.CHANNEL;
    }

    private static QuantizationArgs intArgs(String module, QuantizationScheme scheme) {
        QuantizationArgs args = NaiveQuantizedCompressor.weightArgs(module, scheme);
        if (args.type() != QuantizationType.INT || args.numBits() < 1 || args.numBits() > 8)
            throw FormatException.parameter(module, ModuleState.WEIGHT, "pack-quantized packs int weights of 1 to 8 bits, the scheme has "
                    + args.type().value() + " " + args.numBits() + " bits");
        return args;
    }

    private static byte[] bytes(Tensor int8) {
        Tensor c = int8.contiguous();
        return c.segment().asSlice(c.byteOffset(), c.byteSize()).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Integer zero points as signed bytes, whatever integer dtype holds them. */
    private static byte[] integerBytes(String module, Tensor zp) {
        float[] values = TensorValues.read(zp);
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != Math.rint(values[i]) || values[i] < Byte.MIN_VALUE || values[i] > Byte.MAX_VALUE)
                throw FormatException.parameter(module, ModuleState.WEIGHT_ZERO_POINT, "expected int8 zero points, found " + values[i] + " at index " + i);
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static Tensor ints(int[] values, long rows, long cols) {
        Tensor t = Tensor.allocate(DType.I32, rows, cols);
        MemorySegment.copy(values, 0, t.segment(), Tensor.I32, 0, values.length);
        return t;
    }

    private static int[] intArray(Tensor i32) {
        Tensor c = i32.contiguous();
        int[] out = new int[Math.toIntExact(c.elementCount())];
        MemorySegment.copy(c.segment(), Tensor.I32, c.byteOffset(), out, 0, out.length);
        return out;
    }
}
