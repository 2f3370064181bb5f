package io.llmc4j.compress.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The order of batch events (the reference's {@code CompressionLifecycle._validate_event_order}):
 * BATCH_START, LOSS_CALCULATED, OPTIM_PRE_STEP, OPTIM_POST_STEP, BATCH_END. A batch event may
 * follow the last one only if it comes at or after it in that list; BATCH_START may follow
 * anything but another BATCH_START. Before any batch event the last one counts as BATCH_END, so
 * a run starts with BATCH_START (or BATCH_END). Other event types are not checked and not
 * remembered. Not thread-safe.
 */
final class EventOrder {
    static final List<EventType> ORDER = List.of(EventType.BATCH_START, EventType.LOSS_CALCULATED,
            EventType.OPTIM_PRE_STEP, EventType.OPTIM_POST_STEP, EventType.BATCH_END);

    private EventType last = EventType.BATCH_END;

    /** Throws a {@link LifecycleException} naming the order if {@code type} may not come now. */
    void check(EventType type) {
        if (!ORDER.contains(type)) return;
        boolean valid = type == EventType.BATCH_START
                ? last != EventType.BATCH_START
                : ORDER.indexOf(last) <= ORDER.indexOf(type);
        if (!valid)
            throw new LifecycleException("Lifecycle events must follow the order "
                    + ORDER.stream().map(Enum::name).collect(Collectors.joining(" -> "))
                    + " (BATCH_START may follow any event but itself); instead " + last
                    + " was called before " + type);
    }

    /** Remembers {@code type} as the last batch event, after {@link #check} accepted it. */
    void record(EventType type) {
        if (ORDER.contains(type)) last = type;
    }

    EventType last() {
        return last;
    }
}
