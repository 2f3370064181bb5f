package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.Activation;
import io.llmc4j.engine.nn.RopeScaling;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
    private static final String MINIMAL = """
            {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_hidden_layers": 2,
             "num_attention_heads": 8, "vocab_size": 512%s}""";

    private static ModelConfig parse(String extra) {
        return ModelConfig.parse(MINIMAL.formatted(extra), "config.json");
    }

    private static ModelConfigException failure(String extra) {
        return assertThrows(ModelConfigException.class, () -> parse(extra));
    }

    @Test
    void defaultsFollowLlamaConfig() {
        ModelConfig c = parse("");
        assertEquals(8, c.numKeyValueHeads());
        assertEquals(8, c.headDim());
        assertEquals(1, c.groupSize());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(10000, c.ropeTheta());
        assertInstanceOf(RopeScaling.None.class, c.ropeScaling());
        assertEquals(Activation.SILU, c.hiddenAct());
        assertEquals(2048, c.maxPositionEmbeddings());
        assertFalse(c.tieWordEmbeddings());
        assertFalse(c.attentionBias());
        assertFalse(c.mlpBias());
        assertNull(c.bosTokenId());
        assertEquals(List.of(), c.eosTokenIds());
        assertNull(c.slidingWindow());
        assertEquals(Optional.empty(), c.parameterDType());
    }

    @Test
    void readsEveryKey() {
        ModelConfig c = parse("""
                , "num_key_value_heads": 2, "head_dim": 16, "max_position_embeddings": 4096, "rms_norm_eps": 1e-5,
                "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "bos_token_id": 128000,
                "eos_token_id": [128001, 128008, 128009], "attention_bias": true, "mlp_bias": true, "hidden_act": "gelu_pytorch_tanh",
                "rope_scaling": {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                 "original_max_position_embeddings": 8192}""");
        assertEquals(2, c.numKeyValueHeads());
        assertEquals(4, c.groupSize());
        assertEquals(16, c.headDim());
        assertEquals(4096, c.maxPositionEmbeddings());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(500000, c.ropeTheta());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(Optional.of(DType.BF16), c.parameterDType());
        assertEquals(128000, c.bosTokenId());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertTrue(c.attentionBias());
        assertTrue(c.mlpBias());
        assertEquals(Activation.GELU_TANH, c.hiddenAct());
        assertEquals(new RopeScaling.Llama3(32, 1, 4, 8192), c.ropeScaling());
    }

    @Test
    void readsTheSharedStoriesConfig() throws IOException {
        Path file = io.llmc4j.engine.testing.SharedFiles.require("models/stories260K-hf/config.json");
        ModelConfig c = ModelConfig.read(file);
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(List.of(2), c.eosTokenIds());
        assertEquals(Optional.of(DType.F32), c.parameterDType());
        assertTrue(c.json().has("architectures"));
    }

    @Test
    void keepsTheWholeTreeAndHandsOutCopies() {
        ModelConfig c = parse(", \"architectures\": [\"LlamaForCausalLM\"], \"custom_key\": {\"a\": 1}");
        assertEquals(1, c.json().get("custom_key").get("a").asInt());
        c.json().put("custom_key", 2);
        assertTrue(c.json().get("custom_key").isObject(), "json() must return a copy");
        assertEquals("LlamaForCausalLM", c.json().get("architectures").get(0).asText());
    }

    @Test
    void ropeScalingVariants() {
        assertEquals(new RopeScaling.Linear(4), parse(", \"rope_scaling\": {\"type\": \"linear\", \"factor\": 4}").ropeScaling());
        assertInstanceOf(RopeScaling.None.class, parse(", \"rope_scaling\": {\"rope_type\": \"default\"}").ropeScaling());
        assertInstanceOf(RopeScaling.None.class, parse(", \"rope_scaling\": null").ropeScaling());
        ModelConfig v5 = parse(", \"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 2.0, \"rope_theta\": 1000000.0}");
        assertEquals(new RopeScaling.Linear(2), v5.ropeScaling());
        assertEquals(1e6, v5.ropeTheta());
        ModelConfigException longrope = failure(", \"rope_scaling\": {\"rope_type\": \"longrope\", \"factor\": 4}");
        assertEquals("rope_scaling.rope_type", longrope.key());
        assertTrue(longrope.getMessage().contains("longrope") && longrope.getMessage().contains("default, linear, llama3, yarn"), longrope.getMessage());
        RopeScaling yarn = parse(", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, \"original_max_position_embeddings\": 4096}").ropeScaling();
        assertEquals(new RopeScaling.Yarn(4, 32, 1, 4096, true, Double.NaN, 0, 0), yarn);
        assertEquals(0.1 * Math.log(4) + 1, yarn.attentionScaling(), 1e-12);
        double[] base = io.llmc4j.engine.nn.RotaryEmbedding.defaultInverseFrequencies(64, 10000);
        double[] scaled = yarn.apply(base, 10000, 64);
        assertEquals(base[0], scaled[0], 1e-15, "fast rotations are extrapolated (kept)");
        assertEquals(base[31] / 4, scaled[31], 1e-15, "slow rotations are interpolated (divided by the factor)");
        ModelConfigException missing = failure(", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, \"high_freq_factor\": 4, "
                + "\"original_max_position_embeddings\": 8192}");
        assertEquals("rope_scaling.low_freq_factor", missing.key());
        ModelConfigException inverted = failure(", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 4, "
                + "\"high_freq_factor\": 1, \"original_max_position_embeddings\": 8192}");
        assertTrue(inverted.getMessage().contains("low_freq_factor < high_freq_factor"), inverted.getMessage());
    }

    @Test
    void perTypeDefaults() {
        String qwen3 = """
                {"model_type": "qwen3", "hidden_size": 64, "intermediate_size": 172, "num_hidden_layers": 2,
                 "num_attention_heads": 8, "num_key_value_heads": 4, "vocab_size": 512}""";
        assertEquals(128, ModelConfig.parse(qwen3, "config.json").headDim());
        assertNull(ModelConfig.parse(qwen3.replace("}", ", \"sliding_window\": 4096, \"use_sliding_window\": false}"), "config.json").slidingWindow());
        assertEquals(1024, ModelConfig.parse(qwen3.replace("}", ", \"sliding_window\": 1024, \"use_sliding_window\": true}"), "config.json").slidingWindow());
        String mistral = MINIMAL.formatted("").replace("llama", "mistral");
        assertEquals(4096, ModelConfig.parse(mistral, "config.json").slidingWindow());
        assertNull(ModelConfig.parse(mistral.replace("}", ", \"sliding_window\": null}"), "config.json").slidingWindow());
        assertEquals(131072, ModelConfig.parse(mistral, "config.json").maxPositionEmbeddings());
    }

    @Test
    void errorsNameTheFileTheKeyAndWhatWasFound() {
        ModelConfigException missing = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(
                "{\"model_type\": \"llama\", \"intermediate_size\": 1, \"num_hidden_layers\": 1, \"num_attention_heads\": 1, \"vocab_size\": 1}",
                "config.json"));
        assertEquals("hidden_size", missing.key());
        assertTrue(missing.getMessage().startsWith("config.json: 'hidden_size'"), missing.getMessage());

        ModelConfigException text = failure(", \"num_key_value_heads\": \"2\"");
        assertTrue(text.getMessage().contains("'num_key_value_heads'") && text.getMessage().contains("\"2\""), text.getMessage());

        ModelConfigException divisor = failure(", \"num_key_value_heads\": 3");
        assertTrue(divisor.getMessage().contains("3") && divisor.getMessage().contains("num_attention_heads = 8"), divisor.getMessage());

        ModelConfigException heads = assertThrows(ModelConfigException.class, () -> ModelConfig.parse(
                MINIMAL.formatted("").replace("\"num_attention_heads\": 8", "\"num_attention_heads\": 6"), "config.json"));
        assertEquals("hidden_size", heads.key());

        assertEquals("head_dim", failure(", \"head_dim\": 7").key());
        assertEquals("rms_norm_eps", failure(", \"rms_norm_eps\": -1").key());
        assertEquals("torch_dtype", failure(", \"torch_dtype\": \"int4\"").key());
        assertEquals("eos_token_id", failure(", \"eos_token_id\": [1, \"x\"]").key());
        assertEquals("tie_word_embeddings", failure(", \"tie_word_embeddings\": \"yes\"").key());
        ModelConfigException act = failure(", \"hidden_act\": \"relu\"");
        assertTrue(act.getMessage().contains("relu") && act.getMessage().contains("silu"), act.getMessage());
        ModelConfigException json = assertThrows(ModelConfigException.class, () -> ModelConfig.parse("{", "config.json"));
        assertTrue(json.getMessage().contains("not valid JSON"), json.getMessage());
        assertThrows(ModelConfigException.class, () -> ModelConfig.parse("[1]", "config.json"));
    }

    @Test
    void errorsFromAFileNameItsPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, MINIMAL.formatted(", \"num_key_value_heads\": 5"));
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.read(file));
        assertTrue(e.getMessage().startsWith(file + ": 'num_key_value_heads'"), e.getMessage());
        assertEquals(file.toString(), e.origin());
    }
}
