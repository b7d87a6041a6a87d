package dev.verigen.worker.llamacpp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A GGUF model loaded by llama.cpp, and its vocabulary. The weights are read-only once loaded, so one model serves any
 * number of {@link LlamaContext}s on any threads; only contexts are single-threaded.
 */
public final class LlamaModel implements AutoCloseable {

    private final LlamaNative llama;
    private final Path path;
    private final MemorySegment model;
    private final MemorySegment vocab;
    private final int vocabSize;
    private final int trainedContext;
    /** token -> UTF-8 bytes of its piece; filled lazily, since a real vocabulary has 10^5 entries. */
    private final AtomicReferenceArray<byte[]> pieces;
    private volatile boolean closed;

    private LlamaModel(LlamaNative llama, Path path, MemorySegment model) {
        this.llama = llama;
        this.path = path;
        this.model = model;
        this.vocab = llama.modelGetVocab(model);
        this.vocabSize = llama.vocabNTokens(vocab);
        this.trainedContext = llama.modelNCtxTrain(model);
        this.pieces = new AtomicReferenceArray<>(vocabSize);
    }

    /**
     * Loads a GGUF file.
     *
     * @throws IllegalArgumentException naming the path when it is not a readable file or llama.cpp cannot load it
     */
    public static LlamaModel load(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("GGUF model file " + path.toAbsolutePath() + " does not exist or is not readable");
        }
        LlamaNative llama = LlamaNative.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = llama.modelDefaultParams(arena);
            MemorySegment model = llama.modelLoadFromFile(arena.allocateFrom(path.toString()), params);
            if (model.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("llama.cpp could not load " + path.toAbsolutePath()
                        + " (not a GGUF model of a supported architecture?)");
            }
            return new LlamaModel(llama, path, model);
        }
    }

    public Path path() {
        return path;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** The context length the model was trained with (from the GGUF metadata); 0 if unknown. */
    public int trainedContext() {
        return trainedContext;
    }

    /**
     * Tokenizes {@code text}, adding BOS where the model's metadata asks for it. Special tokens written in the text
     * (e.g. {@code <|im_start|>} of a chat template applied upstream) are parsed as such.
     */
    public int[] tokenize(String text) {
        return tokenize(text, true, true);
    }

    /**
     * @param addSpecial   add BOS (and the like) where the model's metadata asks for it
     * @param parseSpecial read special tokens written in the text as such; false for untrusted text (a candidate
     *                     answer), whose {@code <|im_end|>} must stay plain characters
     */
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        ensureOpen();
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(1, utf8.length));
            MemorySegment.copy(utf8, 0, bytes, JAVA_BYTE, 0, utf8.length);
            int capacity = utf8.length + 8; // a byte-level tokenizer gives at most one token per byte, plus specials
            MemorySegment tokens = arena.allocate(JAVA_INT, capacity);
            int n = llama.tokenize(vocab, bytes, utf8.length, tokens, capacity, addSpecial, parseSpecial);
            if (n < 0) { // too small: -n is the size needed
                capacity = -n;
                tokens = arena.allocate(JAVA_INT, capacity);
                n = llama.tokenize(vocab, bytes, utf8.length, tokens, capacity, addSpecial, parseSpecial);
            }
            if (n < 0) {
                throw new IllegalStateException("llama_tokenize failed (" + n + ")");
            }
            return tokens.asSlice(0, (long) n * Integer.BYTES).toArray(JAVA_INT);
        }
    }

    /** Whether {@code token} ends generation (EOS, EOT, ...). */
    public boolean isEndOfGeneration(int token) {
        return llama.vocabIsEog(vocab, token);
    }

    /** The UTF-8 bytes {@code token} stands for; special tokens render as nothing. */
    public byte[] piece(int token) {
        byte[] piece = pieces.get(token);
        if (piece == null) {
            piece = renderPiece(token);
            pieces.set(token, piece);
        }
        return piece;
    }

    private byte[] renderPiece(int token) {
        try (Arena arena = Arena.ofConfined()) {
            int size = 64;
            MemorySegment buf = arena.allocate(size);
            int n = llama.tokenToPiece(vocab, token, buf, size, 0, false);
            if (n < 0) { // too small: -n is the size needed
                size = -n;
                buf = arena.allocate(size);
                n = llama.tokenToPiece(vocab, token, buf, size, 0, false);
            }
            return n <= 0 ? new byte[0] : buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    /** Creates a context: a KV cache of {@code contextSize} positions, run with {@code threads} CPU threads. */
    public LlamaContext newContext(int contextSize, int threads) {
        ensureOpen();
        return LlamaContext.create(llama, this, model, contextSize, threads);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model " + path + " is closed");
        }
    }

    /** Frees the weights; every context of this model must be closed before. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            llama.modelFree(model);
        }
    }
}
