package dev.routeledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

/** The icon files a desktop reads: PNGs of the right sizes, an .ico and an .icns whose directories point at PNGs. */
class IconFilesTest {
    @TempDir Path dir;

    @Test
    void theIconIsWrittenInEveryFormatADesktopReads() throws Exception {
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupFixture(() -> {
            try {
                IconFiles.write(dir);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int s : IconFiles.PNG_SIZES) {
            var img = ImageIO.read(dir.resolve("routeledger-" + s + ".png").toFile());
            assertThat(img.getWidth()).isEqualTo(s);
            assertThat(img.getHeight()).isEqualTo(s);
            // the teal square fills the middle, the corners are transparent (rounded)
            assertThat(img.getRGB(s / 2, s / 8) >>> 24).isEqualTo(255);
            assertThat(img.getRGB(0, 0) >>> 24).isLessThan(128);
        }
        byte[] ico = Files.readAllBytes(dir.resolve("routeledger.ico"));
        ByteBuffer b = ByteBuffer.wrap(ico).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getShort(0)).isZero();
        assertThat(b.getShort(2)).isEqualTo((short) 1);
        int n = b.getShort(4);
        assertThat(n).isEqualTo(IconFiles.ICO_SIZES.length);
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int e = 6 + 16 * i;
            int w = Byte.toUnsignedInt(ico[e]);
            widths.add(w == 0 ? 256 : w);
            int size = b.getInt(e + 8), offset = b.getInt(e + 12);
            assertThat(offset + size).isLessThanOrEqualTo(ico.length);
            assertThat(ImageIO.read(new java.io.ByteArrayInputStream(ico, offset, size)).getWidth()).isEqualTo(widths.get(i));
        }
        assertThat(widths).containsExactly(16, 24, 32, 48, 64, 128, 256);
        byte[] icns = Files.readAllBytes(dir.resolve("routeledger.icns"));
        ByteBuffer m = ByteBuffer.wrap(icns).order(ByteOrder.BIG_ENDIAN);
        assertThat(new String(icns, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("icns");
        assertThat(m.getInt(4)).isEqualTo(icns.length);
        List<String> types = new ArrayList<>();
        for (int at = 8; at < icns.length; at += m.getInt(at + 4)) {
            types.add(new String(icns, at, 4, java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(icns[at + 9]).isEqualTo((byte) 'P'); // the PNG signature after the element header
        }
        assertThat(types).containsExactly("icp4", "icp5", "icp6", "ic07", "ic08", "ic09");
    }
}
