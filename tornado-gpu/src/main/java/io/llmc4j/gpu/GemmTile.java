package io.llmc4j.gpu;

/**
 * The output tile of the GEMM kernels: {@link #SMALL} 64×64 (4×4 outputs per work item) or
 * {@link #WIDE} 128×128 (8×8 per work item: more reuse per load, fewer groups). {@link #AUTO}
 * takes WIDE when both output dims are at least {@value #WIDE_FROM}, so that small products still
 * spread over many groups. Both sum each output over k in the same order: results are identical.
 */
public enum GemmTile {
    AUTO, SMALL, WIDE;

    /** Smallest M and N for which {@link #AUTO} picks {@link #WIDE}. */
    public static final int WIDE_FROM = 512;

    /** SMALL or WIDE for {@code call}. */
    public GemmTile resolve(GemmCall call) {
        if (this != AUTO) return this;
        return call.m() >= WIDE_FROM && call.n() >= WIDE_FROM ? WIDE : SMALL;
    }

    /** Output rows and columns per work group. */
    public int size() {
        return switch (this) {
            case SMALL -> 64;
            case WIDE -> 128;
            case AUTO -> throw new IllegalStateException("AUTO has no size; resolve it first");
        };
    }
}
