package dev.verigen.worker.llamacpp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One llama.cpp context: a KV cache holding a single sequence (id 0) and the scratch of a forward pass. NOT
 * thread-safe: the owner ({@link LlamaEngine}'s pool) hands it to one thread at a time.
 *
 * <p>Positions are implicit: {@code llama_batch_get_one} leaves {@code pos} null, so llama.cpp continues after the
 * last position in the cache. {@link #truncate} therefore also rewinds where the next decode lands.
 */
public final class LlamaContext implements AutoCloseable {

    private static final int SEQ = 0;

    private final LlamaNative llama;
    private final LlamaModel model;
    private final MemorySegment ctx;
    private final int size;
    /** Shared, not confined: the context moves between worker threads (one at a time). */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment tokenBuffer;
    private final SegmentAllocator batchSlot;
    private int length;
    private boolean closed;

    private LlamaContext(LlamaNative llama, LlamaModel model, MemorySegment ctx) {
        this.llama = llama;
        this.model = model;
        this.ctx = ctx;
        this.size = llama.nCtx(ctx);
        this.tokenBuffer = arena.allocate(JAVA_INT, Math.max(1, size));
        // llama_batch_get_one returns its struct by value; one reused slot avoids an allocation per token
        this.batchSlot = SegmentAllocator.prefixAllocator(arena.allocate(LlamaNative.BATCH));
    }

    static LlamaContext create(LlamaNative llama, LlamaModel model, MemorySegment modelPtr, int contextSize, int threads) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment params = llama.contextDefaultParams(temp);
            params.set(JAVA_INT, LlamaNative.CTX_N_CTX, contextSize);
            // a whole prompt goes into one llama_decode call, so the logical batch must hold the full context
            params.set(JAVA_INT, LlamaNative.CTX_N_BATCH, contextSize);
            params.set(JAVA_INT, LlamaNative.CTX_N_UBATCH, Math.min(contextSize, 512));
            params.set(JAVA_INT, LlamaNative.CTX_N_SEQ_MAX, 1);
            params.set(JAVA_INT, LlamaNative.CTX_N_THREADS, threads);
            params.set(JAVA_INT, LlamaNative.CTX_N_THREADS_BATCH, threads);
            MemorySegment ctx = llama.initFromModel(modelPtr, params);
            if (ctx.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("llama.cpp could not create a context of " + contextSize
                        + " tokens for " + model.path());
            }
            llama.setNThreads(ctx, threads, threads);
            return new LlamaContext(llama, model, ctx);
        }
    }

    /** The context size n_ctx: prompt plus completion must fit in it. */
    public int size() {
        return size;
    }

    /** Tokens currently in the KV cache. */
    public int length() {
        return length;
    }

    /** Drops every cached position from {@code position} on; {@code truncate(0)} empties the cache. */
    public void truncate(int position) {
        if (position < length) {
            llama.kvSelfSeqRm(ctx, SEQ, position, -1);
            length = position;
        }
    }

    /**
     * Runs the model over {@code tokens} after what is cached and returns the logits of the last one (raw, unscaled,
     * one per vocabulary entry; a fresh copy the caller may keep).
     */
    public float[] decode(int[] tokens, int from, int count) {
        if (count < 1 || length + count > size) {
            throw new IllegalArgumentException("cannot decode " + count + " tokens after " + length
                    + " in a context of " + size);
        }
        MemorySegment.copy(tokens, from, tokenBuffer, JAVA_INT, 0, count);
        MemorySegment batch = llama.batchGetOne(batchSlot, tokenBuffer, count);
        int rc = llama.decode(ctx, batch);
        if (rc != 0) {
            // 1: no KV slot for the batch; < 0: error. The cache state is unknown afterwards: start over next time
            llama.kvSelfSeqRm(ctx, SEQ, 0, -1);
            length = 0;
            throw new LlamaDecodeException(rc);
        }
        length += count;
        MemorySegment logits = llama.getLogitsIth(ctx, -1);
        if (logits.equals(MemorySegment.NULL)) {
            throw new LlamaDecodeException(-100);
        }
        return logits.reinterpret((long) model.vocabSize() * Float.BYTES).toArray(JAVA_FLOAT);
    }

    public float[] decode(int token) {
        return decode(new int[]{token}, 0, 1);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            llama.free(ctx);
            arena.close();
        }
    }

    /** llama_decode failed; {@code code} is its return value (1: no room in the KV cache, negative: error). */
    public static final class LlamaDecodeException extends RuntimeException {
        private final int code;

        LlamaDecodeException(int code) {
            super("llama_decode failed with " + code);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
