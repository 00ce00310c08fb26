package dev.routeledger.console;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workspace connection as the console's background work sees it: every statement the engine opens through
 * it is remembered until closed, so that Cancel can stop the running query with {@link Statement#cancel()}
 * (DuckDB's own way to interrupt a query) from the FX thread. The engine itself knows nothing of it.
 */
final class CancellableConnection {
    private final Connection target;
    private final Set<Statement> open = ConcurrentHashMap.newKeySet();
    private final Connection proxy;

    CancellableConnection(Connection target) {
        this.target = target;
        this.proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler());
    }

    Connection connection() { return proxy; }

    /** Cancels every statement that is running now; safe from any thread. */
    void cancelRunning() {
        for (Statement s : open) {
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // already finished or closed: nothing to cancel
            }
        }
    }

    private InvocationHandler handler() {
        return (p, method, args) -> {
            if (method.getName().equals("unwrap") && args != null && args[0] instanceof Class<?> c && c.isInstance(target)) return target;
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Statement s) return track(s);
            return result;
        };
    }

    /** The statement, remembered until it is closed. */
    private Statement track(Statement s) {
        open.add(s);
        Class<?>[] ifaces = s instanceof java.sql.PreparedStatement ? new Class<?>[] {java.sql.PreparedStatement.class} : new Class<?>[] {Statement.class};
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), ifaces, (p, method, args) -> {
            if (method.getName().equals("close")) open.remove(s);
            try {
                return method.invoke(s, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
