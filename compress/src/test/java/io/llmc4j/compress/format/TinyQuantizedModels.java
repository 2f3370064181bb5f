package io.llmc4j.compress.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.DynamicMode;
import io.llmc4j.compress.quantization.DynamicQParams;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: tiny synthetic Llama models quantized the way the QuantizationModifier leaves them
 * (weight observer → {@code weight_scale}, {@code weight_zero_point}, {@code weight_global_scale} as
 * module parameters, scales in the weight's dtype), and the fake-quantized reference model a loaded
 * checkpoint must reproduce.
 */
final class TinyQuantizedModels {
    static final Ops OPS = new Ops(new ReferenceKernels());
    private static final ObserverRegistry OBSERVERS = ObserverRegistry.standard();

    private TinyQuantizedModels() {
    }

    /** Preset {@code preset} with an intermediate size of 192, so group sizes 16 and 32 divide every Linear. */
    static ModelConfig config(String preset, DType dtype) {
        ObjectNode json = SyntheticModels.preset(preset).json();
        json.put("intermediate_size", 192);
        json.put("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
        return ModelConfig.fromJson(json, "test preset " + preset);
    }

    static Map<String, Tensor> weights(ModelConfig config, long seed, DType dtype) {
        return SyntheticModels.generate(config, seed, dtype);
    }

    static CausalLM build(ModelConfig config, Map<String, Tensor> weights) {
        return Models.build(config, new InMemoryTensorSource(weights), OPS);
    }

    /**
     * Calibrates the weights of every module {@code scheme}'s targets match, minus {@code ignore}: the
     * qparams become module parameters; the weights stay as they are.
     */
    static List<QuantizedModuleRef> quantize(CausalLM model, QuantizationScheme scheme, List<String> ignore) {
        ModulePatterns skip = ModulePatterns.of(ignore);
        List<QuantizedModuleRef> refs = new ArrayList<>();
        for (var e : ModulePatterns.of(scheme.targets()).matchModules(model).entrySet()) {
            if (skip.matches(e.getKey(), e.getValue())) continue;
            calibrateWeight(e.getValue(), scheme.weights());
            refs.add(new QuantizedModuleRef(e.getKey(), e.getValue(), scheme));
        }
        return refs;
    }

    static void calibrateWeight(Module module, QuantizationArgs w) {
        Tensor weight = module.parameter("weight");
        Observer observer = OBSERVERS.create(ObserverRegistry.effectiveName(ObservedRole.WEIGHT, w.observer()), ObservedRole.WEIGHT, w);
        observer.observe(weight);
        QParams qp = observer.qparams();
        module.setParameter("weight_scale", TensorValues.write(TensorValues.read(qp.scale()), weight.dtype(), qp.scale().shape().toArray()));
        module.setParameter("weight_zero_point", qp.zeroPoint());
        if (qp.globalScale() != null) module.setParameter("weight_global_scale", qp.globalScale());
    }

    /**
     * Turns the quantized modules into the reference a serving engine computes: each weight replaced by
     * {@code fake_quantize(weight)}, and dynamic input activations fake-quantized by a pre-hook
     * (scales from {@link DynamicQParams}).
     */
    static void fakeQuantize(List<QuantizedModuleRef> refs) {
        for (QuantizedModuleRef ref : refs) {
            Module m = ref.module();
            QuantizationArgs w = ref.scheme().weights();
            m.setParameter("weight", QuantizeOps.fakeQuantize(m.parameter("weight"), m.parameter("weight_scale"),
                    m.parameter("weight_zero_point"), w, null, m.parameter("weight_global_scale")));
            QuantizationArgs in = ref.scheme().inputActivations();
            if (in != null) {
                if (in.dynamic() != DynamicMode.DYNAMIC) throw new IllegalArgumentException("the reference handles dynamic activations only");
                m.registerForwardPreHook((module, inputs) -> {
                    QParams qp = DynamicQParams.compute(inputs[0], in, null);
                    return new Tensor[] {QuantizeOps.fakeQuantize(inputs[0], qp.scale(), qp.zeroPoint(), in)};
                });
            }
        }
    }

    /** Token ids [2, 9] within the vocabulary. */
    static Tensor tokens(ModelConfig config, long seed) {
        java.util.Random random = new java.util.Random(seed);
        long[] ids = new long[18];
        for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(config.vocabSize());
        return Tensor.ofLongs(ids, 2, 9);
    }
}
