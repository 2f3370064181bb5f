package io.llmc4j.engine.ops.memory;

/**
 * Where a {@link FloatData} range can be read or written as floats: {@code array()[offset() + i]}
 * is element {@code start + i}. Owns the scratch arrays used for staging, so one window per task
 * (or per operand of a task) is reused across ranges. Not thread-safe.
 */
public final class Window {
    private float[] array;
    private int offset;
    private float[] scratch = new float[0];
    private short[] bits = new short[0];
    private byte[] codes = new byte[0];

    public float[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    Window show(float[] values, int at) {
        this.array = values;
        this.offset = at;
        return this;
    }

    float[] scratch(int count) {
        if (scratch.length < count) scratch = new float[count];
        return scratch;
    }

    short[] bits(int count) {
        if (bits.length < count) bits = new short[count];
        return bits;
    }

    /** Scratch for {@code count} 8-bit codes (FP8 staging). */
    public byte[] codes(int count) {
        if (codes.length < count) codes = new byte[count];
        return codes;
    }
}
