package io.llmc4j.compress.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmc4j.compress.quantization.ActivationQdq;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Loads a compressed-tensors checkpoint (as {@link CompressedCheckpointWriter} or llm-compressor writes
 * it) into a runnable {@link CausalLM}, decompressing weights and quantizing activations at run time as a
 * serving engine does.
 *
 * <pre>
 *   config.json ──► ModelConfig + QuantizationConfig
 *   safetensors ──► compressed weights (weight_packed, int8/FP8 weight) replaced by shape-only placeholders
 *               ──► Models.build                                  (every other tensor: a view of the file)
 *               ──► groups' targets − ignore resolved on the module tree (class names, names, re: regexes)
 *               ──► per quantized module: Compressor.decompress → weight cast to torch_dtype (or F32),
 *                   qparams set as parameters, ServedLinearForward installed when activations are quantized
 * </pre>
 *
 * A compressed weight that no group targets, or a quantized weight left without a group, is an error
 * naming the module. Sparsity and transform configs are not supported. Stateless.
 */
public final class CompressedCheckpointReader {
    private static final Set<DType> FLOAT_WEIGHTS = Set.of(DType.F32, DType.BF16, DType.F16, DType.F64);

    private CompressedCheckpointReader() {
    }

    /**
     * Loads the checkpoint in {@code directory}, computing through {@code ops}.
     *
     * @throws FormatException naming the file, module or key when the checkpoint is not a loadable
     *                         compressed-tensors checkpoint
     */
    public static LoadedCheckpoint load(Path directory, Ops ops) {
        Path configFile = directory.resolve(CompressedCheckpointWriter.CONFIG_FILE);
        ModelConfig config;
        try {
            config = ModelConfig.read(configFile);
        } catch (IOException e) {
            throw new FormatException("cannot read " + configFile + ": " + e, e);
        }
        JsonNode qcNode = config.json().get(QuantizationConfig.CONFIG_KEY);
        if (qcNode == null)
            throw new FormatException(configFile + " has no " + QuantizationConfig.CONFIG_KEY
                    + "; this is not a compressed-tensors checkpoint (build plain checkpoints with Models.build)");
        QuantizationConfig quantization = QuantizationConfig.parse(qcNode, configFile.toString());
        DType dtype = config.parameterDType().filter(d -> d != DType.F64).orElse(DType.F32);

        SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(directory);
        try {
            Map<String, Shape> compressed = compressedWeights(weights);
            CausalLM model = Models.build(config, new PlaceholderSource(weights, compressed, dtype), ops);
            SchemeResolver resolver = new SchemeResolver(quantization);
            Map<String, QuantizationScheme> schemes = new LinkedHashMap<>();
            for (var e : resolver.resolve(model).entrySet()) {
                String name = e.getKey();
                QuantizationScheme scheme = e.getValue().scheme();
                CompressionFormat format = quantization.formatOf(e.getValue().group());
                restore(name, model.submodule(name), scheme, format, local(weights, name), compressed.containsKey(name), dtype);
                schemes.put(name, new QuantizationScheme(scheme.targets(), scheme.weights(), scheme.inputActivations(),
                        scheme.outputActivations(), format.value()));
            }
            for (var p : model.namedParameters().entrySet()) {
                if (p.getValue().isSymbolic())
                    throw new FormatException(directory + ": tensor '" + p.getKey() + "' is stored compressed, but no config group targets its module "
                            + "(groups " + resolver.groupTargets() + ", ignore " + resolver.ignore() + ")");
            }
            return new LoadedCheckpoint(model, config, quantization, schemes, weights);
        } catch (RuntimeException | Error e) {
            weights.close();
            throw e;
        }
    }

    /** Decompresses module {@code name} in place and installs its activation quantization. */
    private static void restore(String name, Module module, QuantizationScheme scheme, CompressionFormat format,
                                Map<String, Tensor> stored, boolean isCompressed, DType dtype) {
        Map<String, Tensor> state;
        if (isCompressed) {
            if (format == CompressionFormat.DENSE)
                throw new FormatException("module '" + name + "' stores a compressed weight, but its config group's format is dense");
            try {
                state = Compressor.of(format).decompress(name, stored, scheme);
            } catch (FormatException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new FormatException("module '" + name + "' cannot be decompressed as " + format.value() + ": " + e.getMessage(), e);
            }
            Tensor weight = state.get(ModuleState.WEIGHT);
            if (weight.dtype() != dtype) weight = TensorValues.write(TensorValues.read(weight), dtype, weight.shape().toArray());
            module.setParameter(ModuleState.WEIGHT, weight);
        } else {
            state = stored;
        }
        for (var p : state.entrySet()) {
            if (!p.getKey().equals(ModuleState.WEIGHT) && module.parameter(p.getKey()) == null) module.setParameter(p.getKey(), p.getValue());
        }
        ActivationQdq input = scheme.inputActivations() == null ? null : ActivationQdqs.of(name, "input", scheme.inputActivations(), module.parameters());
        ActivationQdq output = scheme.outputActivations() == null ? null : ActivationQdqs.of(name, "output", scheme.outputActivations(), module.parameters());
        if (input != null || output != null) module.setForwardWrapper(new ServedLinearForward(input, output));
    }

    /**
     * The modules whose weight the checkpoint stores compressed, with the weight's shape: a
     * {@code weight_packed} (shape from {@code weight_shape}, or twice the columns for FP4 bytes), or a
     * {@code weight} of a non-float dtype (int8, FP8).
     */
    private static Map<String, Shape> compressedWeights(SafetensorsCheckpoint weights) {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (String tensor : weights.names()) {
            if (tensor.endsWith("." + ModuleState.WEIGHT_PACKED)) {
                String module = tensor.substring(0, tensor.length() - ModuleState.WEIGHT_PACKED.length() - 1);
                Tensor packed = weights.get(tensor);
                String shapeName = module + "." + ModuleState.WEIGHT_SHAPE;
                if (weights.contains(shapeName)) {
                    Tensor shape = weights.get(shapeName);
                    if (shape.elementCount() != 2 || shape.dtype().isFloatingPoint())
                        throw new FormatException(weights.description() + ": tensor '" + shapeName + "' must hold the integer [rows, cols], found "
                                + shape.dtype() + shape.shape());
                    out.put(module, Shape.of(shape.toLongArray()));
                } else if (packed.dtype() == DType.U8 && packed.rank() == 2) {
                    out.put(module, Shape.of(packed.dim(0), packed.dim(1) * 2));
                } else {
                    throw new FormatException(weights.description() + ": tensor '" + tensor + "' (" + packed.dtype() + packed.shape()
                            + ") has no '" + shapeName + "' to give the weight's shape");
                }
            } else if (tensor.endsWith("." + ModuleState.WEIGHT) && !FLOAT_WEIGHTS.contains(weights.info(tensor).dtype())) {
                out.put(tensor.substring(0, tensor.length() - ModuleState.WEIGHT.length() - 1), weights.info(tensor).shape());
            }
        }
        return out;
    }

    /** The tensors of module {@code module} (local names: no further dots). */
    private static Map<String, Tensor> local(SafetensorsCheckpoint weights, String module) {
        String prefix = module + ".";
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String tensor : weights.names()) {
            if (tensor.startsWith(prefix) && tensor.indexOf('.', prefix.length()) < 0) out.put(tensor.substring(prefix.length()), weights.get(tensor));
        }
        return out;
    }

    /**
     * The checkpoint's tensors, with each compressed module's {@code weight} replaced by a symbolic
     * placeholder of the decompressed dtype and shape, so that {@link Models#build} can lay out the model
     * before decompression fills the weights in.
     */
    private static final class PlaceholderSource implements TensorSource {
        private final SafetensorsCheckpoint weights;
        private final Map<String, Tensor> placeholders = new LinkedHashMap<>();
        private final Set<String> names;

        PlaceholderSource(SafetensorsCheckpoint weights, Map<String, Shape> compressed, DType dtype) {
            this.weights = weights;
            compressed.forEach((module, shape) -> placeholders.put(module + "." + ModuleState.WEIGHT, Tensor.symbolic(dtype, shape, null)));
            Set<String> all = new LinkedHashSet<>(weights.names());
            all.addAll(placeholders.keySet());
            this.names = Collections.unmodifiableSet(all);
        }

        @Override
        public Set<String> names() {
            return names;
        }

        @Override
        public Tensor get(String name) {
            Tensor placeholder = placeholders.get(name);
            return placeholder != null ? placeholder : weights.get(name);
        }

        @Override
        public String description() {
            return weights.description();
        }

        @Override
        public void close() {
        }
    }
}
