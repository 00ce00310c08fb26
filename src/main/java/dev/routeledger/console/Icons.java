package dev.routeledger.console;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Group;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.StrokeLineCap;

/**
 * The app icon, drawn from the same geometry as {@code icons/routeledger.svg} (a 256-unit square): a teal
 * rounded square with three ledger lines and a route that steps up to an amber point. Drawn rather than loaded
 * so the window has it wherever the app runs from.
 */
public final class Icons {
    public static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256};

    private Icons() {}

    /** The icon at {@code size} pixels; call on the FX thread. */
    public static Image render(int size) {
        double k = size / 256.0;
        Rectangle bg = new Rectangle(0, 0, 256 * k, 256 * k);
        bg.setArcWidth(56 * k);
        bg.setArcHeight(56 * k);
        bg.setFill(Color.web("#0f766e"));
        Group g = new Group(bg);
        double[][] lines = {{56, 78, 200}, {56, 128, 168}, {56, 178, 136}};
        for (double[] l : lines) {
            Line line = new Line(l[0] * k, l[1] * k, l[2] * k, l[1] * k);
            line.setStroke(Color.web("#ccfbf1"));
            line.setStrokeWidth(18 * k);
            line.setStrokeLineCap(StrokeLineCap.ROUND);
            g.getChildren().add(line);
        }
        javafx.scene.shape.Polyline route = new javafx.scene.shape.Polyline(56 * k, 214 * k, 120 * k, 214 * k, 168 * k, 150 * k, 196 * k, 150 * k);
        route.setStroke(Color.WHITE);
        route.setStrokeWidth(12 * k);
        route.setStrokeLineCap(StrokeLineCap.ROUND);
        route.setFill(null);
        Circle point = new Circle(196 * k, 150 * k, 20 * k, Color.web("#f59e0b"));
        point.setStroke(Color.WHITE);
        point.setStrokeWidth(6 * k);
        g.getChildren().addAll(route, point);
        SnapshotParameters p = new SnapshotParameters();
        p.setFill(Color.TRANSPARENT);
        WritableImage img = new WritableImage(size, size);
        return g.snapshot(p, img);
    }

    /** The sizes a window manager picks from. */
    public static List<Image> window() {
        List<Image> out = new ArrayList<>();
        for (int s : new int[] {16, 32, 48, 64, 128, 256}) out.add(render(s));
        return out;
    }
}
