package io.llmc4j.engine.fx;

import java.util.List;

/**
 * One operation of a {@link Graph} (torch.fx's {@code Node}). Nodes refer to each other by name;
 * the graph derives the users of each node. Every kind but {@link Output} produces one tensor.
 */
public sealed interface Node permits Placeholder, GetAttr, CallModule, CallFunction, Output {
    /** The node's unique name within its graph; also the key of its value in an intermediates cache. */
    String name();

    /** Names of the nodes this one reads, distinct, in order of first use. */
    List<String> inputs();

    /** torch.fx's op kind: placeholder, get_attr, call_module, call_function or output. */
    String opName();
}
