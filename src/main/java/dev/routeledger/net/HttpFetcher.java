package dev.routeledger.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * GET with the rules of SPEC §10 for downloads: HTTPS (plain HTTP only to this machine), timeouts, retries with
 * exponential backoff on 429, 5xx and broken connections (honouring Retry-After), and a size limit. Header values
 * (API keys) never appear in a message or exception.
 */
public final class HttpFetcher {
    public record Options(Duration connectTimeout, Duration readTimeout, int maxAttempts, Duration firstBackoff, long maxBytes) {
        public static Options defaults(long maxBytes) {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 5, Duration.ofSeconds(1), maxBytes);
        }
    }

    /** A finished response: 2xx with its body, or 304. */
    public record Reply(int code, byte[] body, String etag, String lastModified) {}

    private final Options options;
    private final OkHttpClient client;

    public HttpFetcher(Options options) {
        this.options = options;
        this.client = new OkHttpClient.Builder()
            .connectTimeout(options.connectTimeout())
            .readTimeout(options.readTimeout())
            .callTimeout(options.readTimeout().multipliedBy(2))
            .retryOnConnectionFailure(false) // retries are ours, counted and reported
            .followRedirects(true)
            .followSslRedirects(false) // never from HTTPS down to HTTP
            .build();
    }

    /** Refuses anything but HTTPS, except plain HTTP to this machine (a local gateway, tests). */
    public static HttpUrl checkUrl(String url) throws FetchException {
        HttpUrl u = url == null ? null : HttpUrl.parse(url);
        if (u == null) throw new FetchException("'" + url + "' is not an http(s) URL");
        if (!u.isHttps()) {
            boolean local;
            try {
                local = InetAddress.getByName(u.host()).isLoopbackAddress();
            } catch (IOException e) {
                local = false;
            }
            if (!local) throw new FetchException("plain HTTP is refused for " + u.host() + "; use https://");
        }
        return u;
    }

    public Reply get(HttpUrl url, Map<String, String> headers, Consumer<String> progress) throws FetchException {
        Request.Builder rb = new Request.Builder().url(url).get();
        headers.forEach((k, v) -> {
            if (v != null) rb.header(k, v);
        });
        Request request = rb.build();
        String shown = url.toString(); // queries carry dates and pages, never a key (keys travel in headers)
        String lastProblem = null;
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            long waitMs = options.firstBackoff().toMillis() << (attempt - 1);
            try (Response r = client.newCall(request).execute()) {
                int code = r.code();
                if (code == 304) return new Reply(304, new byte[0], r.header("ETag"), r.header("Last-Modified"));
                if (code >= 200 && code < 300) {
                    return new Reply(code, body(r.body(), shown), r.header("ETag"), r.header("Last-Modified"));
                }
                if (code == 429 || code >= 500) {
                    lastProblem = "HTTP " + code + (r.message().isEmpty() ? "" : " " + r.message());
                    String retryAfter = r.header("Retry-After");
                    if (retryAfter != null && retryAfter.strip().matches("\\d{1,4}")) waitMs = Math.min(60_000, Long.parseLong(retryAfter.strip()) * 1000);
                } else {
                    throw new FetchException(shown + " answered HTTP " + code + (code == 401 || code == 403 ? " (the API key was refused)" : "")
                        + (code == 404 ? " (no such page: check the URL)" : ""));
                }
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) throw new FetchException("cancelled");
                lastProblem = "no answer within the timeout (" + options.readTimeout().toSeconds() + " s)";
            } catch (IOException e) {
                lastProblem = "connection failed (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (attempt < options.maxAttempts()) {
                progress.accept(lastProblem + "; retrying in " + Math.max(1, waitMs / 1000) + " s (attempt " + (attempt + 1) + " of " + options.maxAttempts() + ")");
                try {
                    Thread.sleep(waitMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new FetchException("cancelled");
                }
            }
        }
        throw new FetchException(shown + " failed " + options.maxAttempts() + " times; last: " + lastProblem);
    }

    private byte[] body(ResponseBody body, String shown) throws IOException, FetchException {
        if (body == null) return new byte[0];
        if (body.contentLength() > options.maxBytes()) {
            throw new FetchException(shown + " is " + body.contentLength() + " bytes, over the limit of " + options.maxBytes());
        }
        BufferedSource src = body.source();
        Buffer buf = new Buffer();
        while (src.read(buf, 64 * 1024) != -1) {
            if (buf.size() > options.maxBytes()) throw new FetchException(shown + " is larger than the limit of " + options.maxBytes() + " bytes");
        }
        return buf.readByteArray();
    }
}
