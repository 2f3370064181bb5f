package io.llmc4j.compress.format;

/**
 * How {@link CompressedCheckpointWriter} writes.
 *
 * @param maxShardBytes largest data size of one safetensors shard; a larger checkpoint is split into
 *                      {@code model-0000i-of-0000N.safetensors} files plus an index
 * @param overwrite     replace an existing non-empty output directory (only once the new checkpoint
 *                      is complete); when false such a directory is an error
 */
public record WriteOptions(long maxShardBytes, boolean overwrite) {
    /** transformers' default {@code max_shard_size} ("5GB"). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    public WriteOptions {
        if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    }

    /** 5 GB shards, no overwriting. */
    public static WriteOptions defaults() {
        return new WriteOptions(DEFAULT_MAX_SHARD_BYTES, false);
    }
}
