/*
 * Build-time step of the CPU images (run by the JDK's single-file source launcher, never shipped as a class):
 * loads the PyTorch engine and the tokenizers library once, so DJL copies libtorch and libtokenizers out of
 * their jars into DJL_CACHE_DIR.
 * The image carries that directory read-only; at start DJL finds the libraries there and writes nothing
 * (LibUtils only copies when the directory lacks them). ai.djl.offline=true: a missing library is an error,
 * never a download.
 */
public class DjlWarmup {

    public static void main(String[] args) {
        if (!"true".equals(System.getProperty("ai.djl.offline"))) {
            throw new IllegalStateException("run with -Dai.djl.offline=true: the image must not depend on a download");
        }
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
        try (ai.djl.ndarray.NDManager manager = engine.newBaseManager()) {
            float sum = manager.create(new float[] {1, 2, 3}).sum().getFloat();
            if (sum != 6f) {
                throw new IllegalStateException("libtorch answered 1 + 2 + 3 = " + sum);
            }
        }
        // The Hugging Face tokenizers library (text models) is copied out of its jar the same way.
        ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
        System.out.println("DJL " + engine.getEngineName() + " " + engine.getVersion() + " ready in "
                + System.getenv("DJL_CACHE_DIR"));
    }
}
