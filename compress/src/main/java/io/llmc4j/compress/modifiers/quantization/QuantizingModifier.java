package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A modifier whose result is a quantized model (QuantizationModifier, GPTQModifier): what a
 * compressed-tensors checkpoint writer needs to know about it.
 */
public interface QuantizingModifier {
    /** The quantized modules in model order, with their schemes and qparams. */
    List<QuantizedModule> quantizedModules();

    /** The schemes in config-group order. */
    List<QuantizationScheme> configGroups();

    /**
     * The config groups a checkpoint declares, as compressed-tensors' {@code QuantizationConfig.from_pretrained}
     * derives them: the distinct schemes of the quantized modules, in model order of their first module (a
     * recipe group that matched nothing is not written).
     */
    default List<QuantizationScheme> writtenConfigGroups() {
        return quantizedModules().stream().map(QuantizedModule::scheme).distinct().toList();
    }

    /**
     * Every Linear left unquantized, in model order: not targeted, or excluded by {@code ignore}
     * (compressed-tensors writes these as the checkpoint's {@code ignore} list).
     */
    List<String> ignoredModules();

    /**
     * {@code ‖W − Q‖ / ‖W‖} of {@code module} against its original weight when this modifier replaced
     * the weight by its quantized values (GPTQ); empty when the weight is unchanged (then the error is
     * that of fake-quantizing the stored weight).
     */
    default OptionalDouble originalWeightError(String module) {
        return OptionalDouble.empty();
    }
}
