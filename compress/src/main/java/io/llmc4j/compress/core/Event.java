package io.llmc4j.compress.core;

/**
 * One lifecycle event and where training/calibration stands when it fires (LLM Compressor's
 * {@code llmcompressor.core.events.Event}, same derived properties and arithmetic).
 *
 * <p>An event is <em>epoch based</em> when {@code stepsPerEpoch} is set; its index is then the
 * fractional epoch {@code globalStep / stepsPerEpoch}, otherwise the global step. Integer
 * divisions and remainders floor like Python's {@code //} and {@code %}. The reference's
 * {@code new_instance(**kwargs)} is the {@code with*} family here: each returns a copy with one
 * field changed; the reference's {@code current_index} setter is {@link #withCurrentIndex}.
 *
 * <p>Unlike the reference, the constructor rejects values the reference would only trip over
 * later: {@code stepsPerEpoch} must be positive (0 divides by zero there), {@code batchesPerStep}
 * non-negative (0 means "not set", as the reference treats it as false) and
 * {@code invocationsPerStep} at least 1.
 *
 * @param type               the event type, or null for an event used only for index arithmetic
 * @param stepsPerEpoch      optimizer steps per epoch, or null when not epoch based
 * @param batchesPerStep     batches per optimizer step, or null / 0 when one batch is one step
 * @param invocationsPerStep step-wrapper invocations per optimizer step (1 by default)
 * @param globalStep         steps since the start
 * @param globalBatch        batches since the start
 */
public record Event(EventType type, Integer stepsPerEpoch, Integer batchesPerStep, int invocationsPerStep,
                    long globalStep, long globalBatch) {

    /** The reference's tolerance for "the index is a multiple of the update interval". */
    static final double UPDATE_TOLERANCE = 1e-10;

    public Event {
        if (stepsPerEpoch != null && stepsPerEpoch <= 0)
            throw new IllegalArgumentException("steps_per_epoch must be positive or null, got " + stepsPerEpoch);
        if (batchesPerStep != null && batchesPerStep < 0)
            throw new IllegalArgumentException("batches_per_step must be non-negative or null, got " + batchesPerStep);
        if (invocationsPerStep < 1)
            throw new IllegalArgumentException("invocations_per_step must be at least 1, got " + invocationsPerStep);
    }

    /** An event of {@code type} at step 0 and batch 0, not epoch based (the reference's defaults). */
    public static Event of(EventType type) {
        return new Event(type, null, null, 1, 0, 0);
    }

    /** An event of {@code type} at {@code globalStep}, with {@code globalBatch == globalStep}. */
    public static Event at(EventType type, long globalStep) {
        return new Event(type, null, null, 1, globalStep, globalStep);
    }

    public boolean epochBased() {
        return stepsPerEpoch != null;
    }

    /** The current epoch, {@code floor(globalStep / stepsPerEpoch)}. */
    public long epoch() {
        return Math.floorDiv(globalStep, requireEpochBased("epoch"));
    }

    /** The current epoch with the fraction of the current step. */
    public double epochFull() {
        return globalStep / (double) requireEpochBased("epoch_full");
    }

    /** The step within the current epoch, {@code globalStep mod stepsPerEpoch} (floored). */
    public long epochStep() {
        return Math.floorMod(globalStep, requireEpochBased("epoch_step"));
    }

    /** The batch within the current epoch; an epoch has {@code stepsPerEpoch * batchesPerStep} batches. */
    public long epochBatch() {
        long steps = requireEpochBased("epoch_batch");
        long batchesPerEpoch = batchesPerStep != null && batchesPerStep != 0
                ? Math.multiplyExact(steps, batchesPerStep.longValue())
                : steps;
        return Math.floorMod(globalBatch, batchesPerEpoch);
    }

    /** The global step, or for epoch based events the fractional epoch ({@link #epochFull()}). */
    public double currentIndex() {
        if (!epochBased()) return globalStep;
        double full = epochFull();
        if (full - epoch() > 1.0)
            throw new IllegalStateException("too many steps per epoch for an epoch based event: epoch_full " + full
                    + " is more than one past epoch " + epoch());
        return full;
    }

    /**
     * A copy positioned at {@code index} (the reference's {@code current_index} setter): the global
     * step is {@code (long) index}, or {@code (long) (index * stepsPerEpoch)} when epoch based
     * (truncating like Python's {@code int()}); the global batch is the step times
     * {@code batchesPerStep} when that is at least 2, else the step.
     */
    public Event withCurrentIndex(double index) {
        long step = epochBased() ? (long) (index * stepsPerEpoch) : (long) index;
        long batch = batchesPerStep == null || batchesPerStep < 2 ? step : Math.multiplyExact(step, batchesPerStep.longValue());
        return new Event(type, stepsPerEpoch, batchesPerStep, invocationsPerStep, step, batch);
    }

    /**
     * Whether a modifier scheduled over [start, end] with interval {@code update} acts at this
     * event: false before {@code start} or after {@code end} (null bounds are open); otherwise
     * true when {@code update} is null or not positive, or when the index is a multiple of
     * {@code update} (Python's floored {@code %} below 1e-10).
     */
    public boolean shouldUpdate(Double start, Double end, Double update) {
        double current = currentIndex();
        if (start != null && current < start) return false;
        if (end != null && current > end) return false;
        return update == null || update <= 0.0 || pythonModulo(current, update) < UPDATE_TOLERANCE;
    }

    public Event withType(EventType newType) {
        return new Event(newType, stepsPerEpoch, batchesPerStep, invocationsPerStep, globalStep, globalBatch);
    }

    public Event withStepsPerEpoch(Integer newStepsPerEpoch) {
        return new Event(type, newStepsPerEpoch, batchesPerStep, invocationsPerStep, globalStep, globalBatch);
    }

    public Event withBatchesPerStep(Integer newBatchesPerStep) {
        return new Event(type, stepsPerEpoch, newBatchesPerStep, invocationsPerStep, globalStep, globalBatch);
    }

    public Event withInvocationsPerStep(int newInvocationsPerStep) {
        return new Event(type, stepsPerEpoch, batchesPerStep, newInvocationsPerStep, globalStep, globalBatch);
    }

    public Event withGlobalStep(long newGlobalStep) {
        return new Event(type, stepsPerEpoch, batchesPerStep, invocationsPerStep, newGlobalStep, globalBatch);
    }

    public Event withGlobalBatch(long newGlobalBatch) {
        return new Event(type, stepsPerEpoch, batchesPerStep, invocationsPerStep, globalStep, newGlobalBatch);
    }

    private long requireEpochBased(String property) {
        if (stepsPerEpoch == null)
            throw new IllegalStateException(property + " needs an epoch based event (steps_per_epoch set), but steps_per_epoch is null");
        return stepsPerEpoch;
    }

    /** Python's float {@code a % b}: the result (zero included) has the sign of {@code b}. */
    static double pythonModulo(double a, double b) {
        double r = a % b;
        if (r == 0) return Math.copySign(0.0, b);
        return (r < 0) != (b < 0) ? r + b : r;
    }
}
