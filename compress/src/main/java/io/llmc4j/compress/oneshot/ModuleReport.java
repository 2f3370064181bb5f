package io.llmc4j.compress.oneshot;

/**
 * What happened to one quantized module: its scheme's format and the relative weight error
 * ‖W − fq(W)‖ / ‖W‖ of the quantization it received.
 */
public record ModuleReport(String name, String format, double relativeWeightError) {
}
