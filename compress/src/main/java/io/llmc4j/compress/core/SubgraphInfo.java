package io.llmc4j.compress.core;

import io.llmc4j.engine.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedSet;

/**
 * What a modifier needs to know about the subgraph that a sequential pipeline just calibrated,
 * delivered with {@link EventType#SEQUENTIAL_EPOCH_END} (the reference passes the subgraph's
 * modules). The pipeline's {@code Subgraph} implements this.
 */
public interface SubgraphInfo {

    /** Dotted names (from the model root) of the modules this subgraph calls, in call order. */
    SequencedSet<String> moduleNames();

    /** The subgraph's modules, resolved under {@code model} by {@link #moduleNames()}, in order. */
    default Map<String, Module> modules(Module model) {
        Map<String, Module> out = new LinkedHashMap<>();
        for (String name : moduleNames()) out.put(name, model.submodule(name));
        return out;
    }
}
