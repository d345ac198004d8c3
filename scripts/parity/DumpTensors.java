import io.longkv.engine.Session;
import io.longkv.model.Model;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Dumps LongKV's intermediate tensors of one prompt (the whole prompt in one chunk, logits at every
 * position) as raw little-endian float32 files NAME.f32 plus NAME.shape, for compare.py against
 * dump_tensors.py's llama.cpp tensors. Debugging aid.
 *
 * usage: java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *          -cp longkv-cli/target/longkv.jar scripts/parity/DumpTensors.java MODEL ID,ID,... OUT_DIR
 */
public class DumpTensors {
    public static void main(String[] args) throws Exception {
        int[] ids = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        try (Model model = Model.load(Path.of(args[0]))) {
            model.transformer().setTap((name, data, rows, width) -> write(out, name, data, rows, width));
            Session session = new Session(model, ids.length + 8, ids.length);
            session.append(ids, (pos, logits, offset) -> { }, null);
        }
    }

    private static void write(Path dir, String name, float[] data, int rows, int width) {
        // result_output comes in groups of rows: append.
        Path file = dir.resolve(name + ".f32");
        try (DataOutputStream o = new DataOutputStream(new FileOutputStream(file.toFile(), name.equals("result_output") || name.equals("result_norm")))) {
            ByteBuffer b = ByteBuffer.allocate(rows * width * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data, 0, rows * width);
            o.write(b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
