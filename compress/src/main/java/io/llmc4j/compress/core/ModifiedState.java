package io.llmc4j.compress.core;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;

/**
 * What a session call hands back (the reference's {@code ModifiedState}): the model and loss after
 * the modifiers ran. The reference's {@code modifier_data} is always empty there (modifiers return
 * nothing) and is left out; there is no optimizer in llmc4j.
 */
public record ModifiedState(Module model, Tensor loss) {
}
