package io.llmc4j.engine.io.safetensors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors header as the reference serializer (huggingface/safetensors {@code prepare})
 * does: compact JSON, {@code __metadata__} first when there is any metadata, then the tensors in the
 * given order as {@code {"dtype":..,"shape":[..],"data_offsets":[begin,end]}}, padded with spaces to
 * a multiple of 8 bytes so that the data section starts 8-byte aligned.
 */
final class HeaderEncoder {
    private HeaderEncoder() {
    }

    static byte[] encode(Path target, Map<String, String> metadata, List<TensorInfo> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = SafetensorsJson.STRICT.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeObjectFieldStart(HeaderParser.METADATA_KEY);
                for (var entry : metadata.entrySet()) json.writeStringField(entry.getKey(), entry.getValue());
                json.writeEndObject();
            }
            for (TensorInfo t : tensors) {
                json.writeObjectFieldStart(t.name());
                json.writeStringField("dtype", t.dtype().safetensorsName());
                json.writeArrayFieldStart("shape");
                for (long d : t.shape().toArray()) json.writeNumber(d);
                json.writeEndArray();
                json.writeArrayFieldStart("data_offsets");
                json.writeNumber(t.beginOffset());
                json.writeNumber(t.endOffset());
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        int length = out.size();
        int padded = length + (8 - length % 8) % 8;
        if (padded > HeaderReader.MAX_HEADER_BYTES)
            throw new SafetensorsException(target, "header of " + padded + " bytes for " + tensors.size()
                    + " tensors exceeds the format's limit of " + HeaderReader.MAX_HEADER_BYTES + " bytes; write fewer tensors per file");
        byte[] bytes = Arrays.copyOf(out.toByteArray(), padded);
        Arrays.fill(bytes, length, padded, (byte) ' ');
        return bytes;
    }
}
