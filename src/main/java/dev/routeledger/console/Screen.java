package dev.routeledger.console;

import dev.routeledger.analytics.Filter;
import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;

/**
 * One screen of the console. It builds its view once, and reloads its figures when shown after the filter or
 * the workspace changed ({@link #load}); every load runs on the session's database thread.
 */
public abstract class Screen {
    protected final Session session;
    private Node view;
    private Object loadedFor;

    protected Screen(Session session) {
        this.session = session;
    }

    /** The name in the navigation rail. */
    public abstract String title();

    /** A short id for shortcuts, file names and tests ("overview"). */
    public abstract String key();

    public abstract Ikon icon();

    protected abstract Node build();

    /** Loads the figures for {@code filter}; called on the FX thread, submits its queries to the session. */
    protected abstract void load(Filter filter);

    /** Whether the view has been built (shown, or warmed ahead). */
    public final boolean built() {
        return view != null;
    }

    public final Node view() {
        if (view == null) view = build();
        return view;
    }

    /** Loads the figures unless they are current for this filter and workspace state. */
    public final void showFor(Filter filter, long dataVersion) {
        view();
        Object key = java.util.List.of(filter, dataVersion);
        if (key.equals(loadedFor)) return;
        loadedFor = key;
        load(filter);
    }

    /** Puts the screen in the state its picture shows best (after its figures loaded); most screens need nothing. */
    public void beforeScreenshot() {}

    /** Forgets what was loaded: the next showing reloads. */
    public final void stale() {
        loadedFor = null;
    }
}
