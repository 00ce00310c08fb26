package dev.routeledger.console;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.embed.swing.SwingFXUtils;
import javax.imageio.ImageIO;

/**
 * Writes the app icon in the files each desktop wants, from {@link Icons}: PNGs for Linux (and the README),
 * a Windows {@code .ico} and a macOS {@code .icns}, both holding PNG images (Windows Vista and later, macOS 10.7
 * and later read those). The vector source is {@code icons/routeledger.svg}.
 */
public final class IconFiles {
    public static final int[] PNG_SIZES = {16, 24, 32, 48, 64, 128, 256, 512};
    static final int[] ICO_SIZES = {16, 24, 32, 48, 64, 128, 256};
    /** icns element types for PNG data, by size. */
    static final Map<Integer, String> ICNS_TYPES = new LinkedHashMap<>();

    static {
        // smallest first, as macOS's own files list them
        ICNS_TYPES.put(16, "icp4");
        ICNS_TYPES.put(32, "icp5");
        ICNS_TYPES.put(64, "icp6");
        ICNS_TYPES.put(128, "ic07");
        ICNS_TYPES.put(256, "ic08");
        ICNS_TYPES.put(512, "ic09");
    }

    private IconFiles() {}

    /** Writes routeledger-N.png, routeledger.ico and routeledger.icns into {@code dir}; call on the FX thread. */
    public static List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<Integer, byte[]> png = new LinkedHashMap<>();
        for (int s : PNG_SIZES) png.put(s, png(s));
        List<Path> out = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> e : png.entrySet()) {
            out.add(Files.write(dir.resolve("routeledger-" + e.getKey() + ".png"), e.getValue()));
        }
        out.add(Files.write(dir.resolve("routeledger.ico"), ico(png)));
        out.add(Files.write(dir.resolve("routeledger.icns"), icns(png)));
        return out;
    }

    static byte[] png(int size) throws IOException {
        BufferedImage img = SwingFXUtils.fromFXImage(Icons.render(size), null);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        return b.toByteArray();
    }

    /** ICONDIR, one ICONDIRENTRY per size, then the PNGs (little-endian; a width of 0 means 256). */
    static byte[] ico(Map<Integer, byte[]> png) {
        int n = ICO_SIZES.length;
        int offset = 6 + 16 * n;
        int total = offset;
        for (int s : ICO_SIZES) total += png.get(s).length;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) 1).putShort((short) n);
        for (int s : ICO_SIZES) {
            byte[] data = png.get(s);
            b.put((byte) (s >= 256 ? 0 : s)).put((byte) (s >= 256 ? 0 : s)).put((byte) 0).put((byte) 0);
            b.putShort((short) 1).putShort((short) 32).putInt(data.length).putInt(offset);
            offset += data.length;
        }
        for (int s : ICO_SIZES) b.put(png.get(s));
        return b.array();
    }

    /** 'icns', the file's length, then one element per size: its type, its length with the 8-byte header, the PNG. */
    static byte[] icns(Map<Integer, byte[]> png) {
        int total = 8;
        for (int s : ICNS_TYPES.keySet()) total += 8 + png.get(s).length;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
        b.put("icns".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(total);
        for (Map.Entry<Integer, String> e : ICNS_TYPES.entrySet()) {
            byte[] data = png.get(e.getKey());
            b.put(e.getValue().getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(8 + data.length).put(data);
        }
        return b.array();
    }
}
