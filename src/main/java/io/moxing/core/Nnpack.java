package io.moxing.core;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Turns PyTorch's NNPACK convolutions off on a processor NNPACK does not support. PyTorch 2.7 asks
 * NNPACK whether it may run before every small CPU convolution (batch 1: each request a server
 * answers alone) and logs "Could not initialize NNPACK! Reason: Unsupported hardware." each time it
 * hears no: 8,646 lines in one {@code bench serve}. With NNPACK turned off
 * ({@code at::globalContext().setUserEnabledNNPACK(false)}, what {@code torch.backends.nnpack} sets
 * from Python) the question is never asked. DJL has no switch for it, and {@code TORCH_CPP_LOG_LEVEL}
 * is read only where Python starts libtorch, so both calls go to libtorch through JNA. On a processor
 * NNPACK supports nothing changes.
 */
final class Nnpack {
    private static final int RTLD_LAZY = 0x1;
    private static final int RTLD_NOLOAD = 0x4;
    private static final int NNP_STATUS_SUCCESS = 0;
    private static final int NNP_STATUS_UNSUPPORTED_HARDWARE = 51;

    private Nnpack() {}

    /**
     * After the engine has loaded libtorch: when NNPACK refuses this processor, turns it off and returns
     * the one line that says so; empty when NNPACK works here or libtorch is not the one Moxing ships.
     */
    static Optional<String> turnOffIfUnsupported() {
        NativeLibrary torch;
        try {
            // only the copy DJL already loaded: NOLOAD never maps a second one
            torch = NativeLibrary.getInstance(Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu"))
                    .toString(), Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY | RTLD_NOLOAD));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return Optional.empty();
        }
        try {
            int status = initializer(torch).invokeInt(new Object[0]);
            if (status == NNP_STATUS_SUCCESS) {
                return Optional.empty();
            }
            Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            torch.getFunction("_ZN2at7Context20setUserEnabledNNPACKEb").invokeVoid(new Object[] {context, false});
            String reason = status == NNP_STATUS_UNSUPPORTED_HARDWARE ? "does not support this processor"
                    : "cannot start here (status " + status + ")";
            return Optional.of("note: NNPACK " + reason + "; PyTorch's NNPACK convolutions are turned off"
                    + " (the other CPU kernels run instead), so PyTorch no longer warns about it on every batch");
        } catch (UnsatisfiedLinkError e) {
            // another libtorch build (one without NNPACK, or with other symbols): nothing to turn off
            return Optional.empty();
        }
    }

    /**
     * {@code nnp_initialize} as libtorch's own calls resolve it: the dynamic linker looks in the global
     * scope (the executable and anything preloaded) before the library itself, so a test can stand in
     * for a processor NNPACK refuses with an {@code LD_PRELOAD}ed initializer.
     */
    private static Function initializer(NativeLibrary torch) {
        try {
            return NativeLibrary.getProcess().getFunction("nnp_initialize");
        } catch (UnsatisfiedLinkError e) {
            return torch.getFunction("nnp_initialize");
        }
    }
}
