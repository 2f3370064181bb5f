package io.llmc4j.compress.testing;

import io.llmc4j.compress.core.Event;
import io.llmc4j.compress.core.EventArgs;
import io.llmc4j.compress.core.State;
import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.ModifierSettings;
import java.util.List;

/**
 * A test modifier that appends each callback to a shared log as "<scheme>:<callback>" (with the
 * event type and step for event callbacks), e.g. "A:onStart BATCH_START@0".
 */
public final class RecordingModifier extends Modifier {
    private final RecordingArgs arguments;
    private final List<String> log;
    private final boolean initializeResult;

    public RecordingModifier(RecordingArgs arguments, ModifierSettings settings, List<String> log) {
        this(arguments, settings, log, true);
    }

    public RecordingModifier(RecordingArgs arguments, ModifierSettings settings, List<String> log, boolean initializeResult) {
        super(settings);
        this.arguments = arguments;
        this.log = log;
        this.initializeResult = initializeResult;
    }

    public RecordingArgs arguments() {
        return arguments;
    }

    @Override
    protected boolean onInitialize(State state) {
        log.add(arguments.scheme() + ":onInitialize");
        return initializeResult;
    }

    @Override
    protected boolean onFinalize(State state) {
        log.add(arguments.scheme() + ":onFinalize");
        return true;
    }

    @Override
    protected void onStart(State state, Event event, EventArgs args) {
        log.add(arguments.scheme() + ":onStart " + at(event));
    }

    @Override
    protected void onUpdate(State state, Event event, EventArgs args) {
        log.add(arguments.scheme() + ":onUpdate " + at(event));
    }

    @Override
    protected void onEnd(State state, Event event, EventArgs args) {
        log.add(arguments.scheme() + ":onEnd " + at(event));
    }

    @Override
    protected void onEvent(State state, Event event, EventArgs args) {
        log.add(arguments.scheme() + ":onEvent " + at(event) + (args.subgraph() != null ? " " + args.subgraph().moduleNames() : ""));
    }

    private static String at(Event event) {
        return event.type() + "@" + event.globalStep();
    }
}
