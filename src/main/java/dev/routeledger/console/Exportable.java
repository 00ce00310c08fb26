package dev.routeledger.console;

import javafx.stage.Window;

/** A screen that can save what it shows (Ctrl+E). */
public interface Exportable {
    void export(Window owner);

    /** A screen that opens files (Ctrl+O). */
    interface Opens {
        void open(Window owner);
    }
}
