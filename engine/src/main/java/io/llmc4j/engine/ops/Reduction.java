package io.llmc4j.engine.ops;

/** Reductions along one axis. */
public enum Reduction {
    SUM, MAX, MIN, ABS_MAX
}
