package dev.verigen.worker.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@code java.lang.foreign} binding of the few llama.cpp C functions (llama.h at build b4916) the engine needs.
 *
 * <p>The native library is the {@code libjllama.so} bundled in {@code de.kherud:llama:4.2.0}: it exports the whole
 * llama.cpp C API next to its JNI entry points. Only the C API is used; that library's Java API is not (asking it for
 * token probabilities aborts the JVM). The library is extracted to a temp file once per JVM and never unloaded, since
 * llama.cpp keeps process-wide state (backend, log callback).
 *
 * <p>Methods here are thin and unchecked: pointers in, pointers out. {@link LlamaModel} and {@link LlamaContext}
 * own the lifetimes and turn return codes into exceptions.
 */
final class LlamaNative {

    /** Where de.kherud:llama keeps the Linux x86_64 build inside its jar. */
    static final String LIBRARY_RESOURCE = "/de/kherud/llama/Linux/x86_64/libjllama.so";

    /**
     * {@code llama_model_params} / {@code llama_context_params} are passed and returned by value. Their exact layout
     * changes between llama.cpp builds, so they are modelled as opaque, over-allocated blobs (both are well under
     * 256 bytes at b4916). Any struct above 16 bytes is passed in memory on x86-64 SysV, so the callee only reads the
     * real prefix of the copy and only writes the real prefix of the return buffer.
     */
    static final StructLayout PARAMS = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(32, JAVA_LONG));

    /** Byte offsets of the leading int32 fields of {@code llama_context_params} (stable across recent builds). */
    static final long CTX_N_CTX = 0;
    static final long CTX_N_BATCH = 4;
    static final long CTX_N_UBATCH = 8;
    static final long CTX_N_SEQ_MAX = 12;
    static final long CTX_N_THREADS = 16;
    static final long CTX_N_THREADS_BATCH = 20;

    /** {@code struct llama_batch { int32 n_tokens; token*; float* embd; pos*; int32* n_seq_id; seq_id**; int8* logits; }}. */
    static final StructLayout BATCH = MemoryLayout.structLayout(
            JAVA_INT.withName("n_tokens"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("token"), ADDRESS.withName("embd"), ADDRESS.withName("pos"),
            ADDRESS.withName("n_seq_id"), ADDRESS.withName("seq_id"), ADDRESS.withName("logits"));

    private static volatile LlamaNative instance;

    /**
     * Serialises {@code llama_decode} across the whole process. At b4916 the CPU matrix multiply (llamafile sgemm)
     * shares a static chunk counter between concurrent graph computations, so two contexts decoding at once corrupt
     * each other's results (seen here: different texts for the same seed; fixed upstream in ggml-org/llama.cpp
     * PR #14035, June 2025). Each decode already uses all of its threads, so on a small CPU little is lost; contexts
     * still keep each request's KV cache, and concurrent requests interleave token by token.
     */
    private static final java.util.concurrent.locks.ReentrantLock DECODE_LOCK = new java.util.concurrent.locks.ReentrantLock();

    private final MethodHandle modelDefaultParams;
    private final MethodHandle contextDefaultParams;
    private final MethodHandle modelLoadFromFile;
    private final MethodHandle modelFree;
    private final MethodHandle modelGetVocab;
    private final MethodHandle modelNCtxTrain;
    private final MethodHandle initFromModel;
    private final MethodHandle free;
    private final MethodHandle setNThreads;
    private final MethodHandle nCtx;
    private final MethodHandle vocabNTokens;
    private final MethodHandle vocabIsEog;
    private final MethodHandle tokenize;
    private final MethodHandle tokenToPiece;
    private final MethodHandle batchGetOne;
    private final MethodHandle decode;
    private final MethodHandle getLogitsIth;
    private final MethodHandle kvSelfSeqRm;

    private LlamaNative(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        Binder b = new Binder(linker, lib);
        modelDefaultParams = b.bind("llama_model_default_params", FunctionDescriptor.of(PARAMS));
        contextDefaultParams = b.bind("llama_context_default_params", FunctionDescriptor.of(PARAMS));
        modelLoadFromFile = b.bind("llama_model_load_from_file", FunctionDescriptor.of(ADDRESS, ADDRESS, PARAMS));
        modelFree = b.bind("llama_model_free", FunctionDescriptor.ofVoid(ADDRESS));
        modelGetVocab = b.bind("llama_model_get_vocab", FunctionDescriptor.of(ADDRESS, ADDRESS));
        modelNCtxTrain = b.bind("llama_model_n_ctx_train", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        initFromModel = b.bind("llama_init_from_model", FunctionDescriptor.of(ADDRESS, ADDRESS, PARAMS));
        free = b.bind("llama_free", FunctionDescriptor.ofVoid(ADDRESS));
        setNThreads = b.bind("llama_set_n_threads", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
        nCtx = b.bind("llama_n_ctx", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabNTokens = b.bind("llama_vocab_n_tokens", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabIsEog = b.bind("llama_vocab_is_eog", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT));
        // int32 llama_tokenize(vocab, text, text_len, tokens, n_tokens_max, add_special, parse_special)
        tokenize = b.bind("llama_tokenize", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_BOOLEAN, JAVA_BOOLEAN));
        // int32 llama_token_to_piece(vocab, token, buf, length, lstrip, special)
        tokenToPiece = b.bind("llama_token_to_piece", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_BOOLEAN));
        batchGetOne = b.bind("llama_batch_get_one", FunctionDescriptor.of(BATCH, ADDRESS, JAVA_INT));
        decode = b.bind("llama_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, BATCH));
        getLogitsIth = b.bind("llama_get_logits_ith", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        // bool llama_kv_self_seq_rm(ctx, seq_id, p0, p1): removes positions [p0, p1) of a sequence; p1 < 0 = to the end
        kvSelfSeqRm = b.bind("llama_kv_self_seq_rm", FunctionDescriptor.of(JAVA_BOOLEAN,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));

        // llama.cpp logs every tensor while loading; a no-op callback keeps the worker's log readable
        MethodHandle logSet = b.bind("llama_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        MethodHandle backendInit = b.bind("llama_backend_init", FunctionDescriptor.ofVoid());
        try {
            MethodHandle drop = MethodHandles.lookup().findStatic(LlamaNative.class, "dropLog",
                    MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class));
            // the stub must outlive every native call that may log: the global arena never frees it
            MemorySegment stub = linker.upcallStub(drop,
                    FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            logSet.invokeExact(stub, MemorySegment.NULL);
            backendInit.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("llama.cpp initialisation failed", t);
        }
    }

    /** Loads and initialises the library once per JVM. */
    static LlamaNative get() {
        LlamaNative local = instance;
        if (local == null) {
            synchronized (LlamaNative.class) {
                local = instance;
                if (local == null) {
                    local = new LlamaNative(SymbolLookup.libraryLookup(extractLibrary(), Arena.global()));
                    instance = local;
                }
            }
        }
        return local;
    }

    private static Path extractLibrary() {
        try (InputStream in = LlamaNative.class.getResourceAsStream(LIBRARY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("llama.cpp native library " + LIBRARY_RESOURCE
                        + " not on the classpath (is de.kherud:llama a dependency? only Linux x86_64 is supported)");
            }
            Path file = Files.createTempFile("verigen-libjllama-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the llama.cpp native library", e);
        }
    }

    @SuppressWarnings("unused") // the log upcall target
    private static void dropLog(int level, MemorySegment text, MemorySegment userData) {
    }

    // ---- thin wrappers; MethodHandle failures are programming errors, so they surface unchecked ----

    MemorySegment modelDefaultParams(SegmentAllocator allocator) {
        try {
            return (MemorySegment) modelDefaultParams.invokeExact(allocator);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment contextDefaultParams(SegmentAllocator allocator) {
        try {
            return (MemorySegment) contextDefaultParams.invokeExact(allocator);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment modelLoadFromFile(MemorySegment path, MemorySegment params) {
        try {
            return (MemorySegment) modelLoadFromFile.invokeExact(path, params);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void modelFree(MemorySegment model) {
        try {
            modelFree.invokeExact(model);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment modelGetVocab(MemorySegment model) {
        try {
            return (MemorySegment) modelGetVocab.invokeExact(model);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int modelNCtxTrain(MemorySegment model) {
        try {
            return (int) modelNCtxTrain.invokeExact(model);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment initFromModel(MemorySegment model, MemorySegment params) {
        try {
            return (MemorySegment) initFromModel.invokeExact(model, params);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void free(MemorySegment ctx) {
        try {
            free.invokeExact(ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void setNThreads(MemorySegment ctx, int threads, int threadsBatch) {
        try {
            setNThreads.invokeExact(ctx, threads, threadsBatch);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int nCtx(MemorySegment ctx) {
        try {
            return (int) nCtx.invokeExact(ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int vocabNTokens(MemorySegment vocab) {
        try {
            return (int) vocabNTokens.invokeExact(vocab);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    boolean vocabIsEog(MemorySegment vocab, int token) {
        try {
            return (boolean) vocabIsEog.invokeExact(vocab, token);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int tokenize(MemorySegment vocab, MemorySegment text, int textLen, MemorySegment tokens, int maxTokens,
                 boolean addSpecial, boolean parseSpecial) {
        try {
            return (int) tokenize.invokeExact(vocab, text, textLen, tokens, maxTokens, addSpecial, parseSpecial);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int tokenToPiece(MemorySegment vocab, int token, MemorySegment buf, int length, int lstrip, boolean special) {
        try {
            return (int) tokenToPiece.invokeExact(vocab, token, buf, length, lstrip, special);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment batchGetOne(SegmentAllocator allocator, MemorySegment tokens, int nTokens) {
        try {
            return (MemorySegment) batchGetOne.invokeExact(allocator, tokens, nTokens);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int decode(MemorySegment ctx, MemorySegment batch) {
        DECODE_LOCK.lock();
        try {
            return (int) decode.invokeExact(ctx, batch);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            DECODE_LOCK.unlock();
        }
    }

    MemorySegment getLogitsIth(MemorySegment ctx, int i) {
        try {
            return (MemorySegment) getLogitsIth.invokeExact(ctx, i);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    boolean kvSelfSeqRm(MemorySegment ctx, int seqId, int p0, int p1) {
        try {
            return (boolean) kvSelfSeqRm.invokeExact(ctx, seqId, p0, p1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** Looks symbols up and fails with the symbol's name when the library lacks it (i.e. a different llama.cpp build). */
    private record Binder(Linker linker, SymbolLookup lib) {
        MethodHandle bind(String name, FunctionDescriptor descriptor) {
            MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException(
                    "llama.cpp symbol " + name + " not found: the bundled library is not the expected build (b4916)"));
            return linker.downcallHandle(symbol, descriptor);
        }
    }
}
