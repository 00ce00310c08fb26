package dev.routeledger.sample;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes realistic synthetic gateway traffic as canonical JSONL, one trace at a time (nothing is held in
 * memory), deterministic for a seed. What it plants, so that every screen has something true to show:
 * three tiers of real catalog models (about 76/19/5 % of calls, the frontier tier taking most of the money),
 * router scores that track a hidden difficulty imperfectly, boundary-band escalations, validation cascades on
 * extraction features, rate limits and errors with fallbacks, a small shadow sample
 * at other tiers, judge scores and user feedback on samples, cached prompt tokens, per-model latency, costs
 * at catalog prices, a long tail of users, a power user ({@value #POWER_USER}) whose few repeated easy prompts
 * go to the frontier tier by a VIP rule, and a CEO ({@value #CEO}) on the frontier tier by rule.
 *
 * <p>Its gateway does only what a policy file can say (SPEC §6.1; {@code sample-logs/acme-gateway-policy.yaml}):
 * thresholds with a boundary band, a rule, escalation on failure, a same-tier fallback on a rate limit. So
 * replaying that policy must give back the logged cost and success — the replay's self-consistency test.
 */
public final class SampleGenerator {
    public static final String POWER_USER = "user-4242"; // outside the long tail's user-0001..user-1800
    public static final String CEO = "ceo";
    public static final Instant DEFAULT_START = Instant.parse("2026-10-01T00:00:00Z");
    static final double[] THRESHOLDS = {0.55, 0.85};
    static final double BAND = 0.05;
    static final double SHADOW_RATE = 0.025;
    static final double RULE_SHADOW_RATE = 0.40;
    private static final int USERS = 1800;

    /** The policy file that says what the generator's gateway does (sample-logs/acme-gateway-policy.yaml is a copy). */
    public static String gatewayPolicy() {
        try (java.io.InputStream in = SampleGenerator.class.getResourceAsStream("gateway-policy.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public record Config(long traces, int days, long seed, Instant start) {
        public Config {
            if (traces < 1) throw new IllegalArgumentException("traces must be at least 1");
            if (days < 1) throw new IllegalArgumentException("days must be at least 1");
        }
    }

    /** @param costErrors request ids whose logged cost was planted wrong (see {@link #plantedCost}) */
    public record Stats(long traces, long calls, Path path, List<String> costErrors) {}

    private final Config config;
    private final StringBuilder line = new StringBuilder(1024);
    private long calls;
    private final List<String> costErrors = new ArrayList<>();

    public SampleGenerator(Config config) {
        this.config = config;
    }

    public Stats write(Path out) throws IOException {
        if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
        boolean gz = out.getFileName().toString().endsWith(".gz");
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
             OutputStream sink = gz ? new FastGzip(file) : file;
             Writer w = new OutputStreamWriter(sink, StandardCharsets.UTF_8)) {
            for (long i = 0; i < config.traces(); i++) trace(i, w);
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new Stats(config.traces(), calls, out, List.copyOf(costErrors));
    }

    /** gzip at the fastest level: a 10 M-call sample is written in minutes, not tens of them. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    private void trace(long i, Writer w) throws IOException {
        SplittableRandom r = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + i);
        Trace t = new Trace();
        t.id = String.format("tr-%x-%08d", config.seed() & 0xffff, i);
        t.startMs = timestampMs(i, r);
        double who = r.nextDouble();
        SampleFeature f;
        if (who < 0.026) {
            t.user = POWER_USER;
            f = r.nextDouble() < 0.7 ? feature("data-analysis") : feature("email-triage");
            t.team = "analytics";
            t.difficulty = clamp(0.16 + 0.07 * r.nextGaussian());
            t.promptHash = hash("power-prompt-" + r.nextInt(12));
            t.rule = true;
        } else {
            f = pickFeature(r);
            t.team = f.team();
            if (who < 0.030) {
                t.user = CEO;
                t.team = "exec";
                t.rule = true;
            } else {
                t.user = String.format("user-%04d", zipfUser(r));
            }
            t.difficulty = clamp(f.difficulty() + f.difficultySpread() * r.nextGaussian());
            if (f.commonPrompts() > 0 && r.nextDouble() < 0.22) {
                t.promptHash = hash(f.name() + "-faq-" + (int) Math.floor(Math.pow(r.nextDouble(), 2.5) * f.commonPrompts()));
            } else {
                t.promptHash = hash(t.id);
            }
        }
        t.feature = f;
        t.routerScore = round4(clamp(t.difficulty + 0.10 * r.nextGaussian()));
        t.routedTier = t.routerScore < THRESHOLDS[0] ? 1 : t.routerScore < THRESHOLDS[1] ? 2 : 3;
        double size = POWER_USER.equals(t.user) ? 1.6 : 1.0; // the power user pastes whole data dumps
        t.promptTokens = Math.max(20, Math.round(size * f.promptTokens() * Math.exp(0.45 * r.nextGaussian())));
        t.baseCompletion = Math.max(5, size * f.completionTokens() * Math.exp(0.5 * r.nextGaussian()));

        int tier = t.routedTier;
        String reason = null;
        if (t.rule) {
            if (tier < 3) reason = "rule";
            tier = 3;
        } else if (tier < 3 && t.routerScore >= THRESHOLDS[tier - 1] - BAND) {
            tier++;
            reason = "boundary_band";
        }

        long clock = t.startMs;
        int attempt = 1;
        SampleModel next = modelFor(tier, f, r);
        while (true) {
            Call c = call(t, next, attempt++, reason, false, clock, r);
            write(w, t, c);
            clock += (long) c.latencyMs + 20;
            if (c.status.equals("rate_limited") && next == SampleModel.LLAMA_GROQ) {
                next = SampleModel.LLAMA_TOGETHER; // same tier, another provider
                reason = "error_fallback";
                continue;
            }
            if (!c.status.equals("ok")) {
                if (tier == 3) break;
                reason = "error_fallback";
            } else if (f.validated() && "fail".equals(c.validation) && tier < 3) {
                reason = "validation_failed";
            } else {
                break;
            }
            tier++;
            next = modelFor(tier, f, r);
        }
        // the gateway shadow-tests 2.5 % of traffic, and 40 % of what its VIP rule routes (is the rule worth its price?)
        if (r.nextDouble() < (t.rule ? RULE_SHADOW_RATE : SHADOW_RATE)) shadows(w, t, r);
    }

    private void shadows(Writer w, Trace t, SplittableRandom r) throws IOException {
        for (int tier = 1; tier <= 3; tier++) {
            if ((t.tiersCalled & (1 << tier)) != 0) continue;
            Call c = call(t, SampleModel.primary(tier), 0, null, true, t.startMs + 5, r);
            write(w, t, c);
        }
    }

    private Call call(Trace t, SampleModel m, int attempt, String reason, boolean shadow, long clock, SplittableRandom r) {
        Call c = new Call();
        c.model = m;
        c.attempt = attempt;
        c.reason = reason;
        c.shadow = shadow;
        c.startMs = clock;
        if (!shadow) t.tiersCalled |= 1 << m.tier();
        double fail = r.nextDouble();
        c.status = "ok";
        if (!shadow) {
            if (m.tier() == 1 && m == SampleModel.LLAMA_GROQ && fail < 0.012) c.status = "rate_limited";
            else if (fail > 0.995) c.status = "error";
            else if (fail > 0.992) c.status = "timeout";
        }
        boolean success = r.nextDouble() < 1 / (1 + Math.exp(-12 * (m.skill() - t.difficulty)));
        c.success = success;
        boolean hasCache = m.cacheReadPrice() > 0;
        c.promptTokens = t.promptTokens;
        if (!c.status.equals("ok")) {
            c.completionTokens = 0;
            c.cachedTokens = 0;
            c.cost = 0;
            c.latencyMs = c.status.equals("timeout") ? 30000 : 80 + 120 * r.nextDouble();
            if (c.status.equals("rate_limited")) c.promptTokens = 0;
        } else {
            c.completionTokens = Math.max(1, Math.round(t.baseCompletion * m.verbosity() * (0.85 + 0.3 * r.nextDouble())));
            c.cachedTokens = hasCache && r.nextDouble() < 0.6 ? Math.round(c.promptTokens * t.feature.cachedShare() * r.nextDouble()) : 0;
            c.latencyMs = Math.round((m.baseLatencyMs() + m.msPerToken() * c.completionTokens) * (0.8 + 0.4 * r.nextDouble()));
            c.ttftMs = Math.round(m.baseLatencyMs() * (0.5 + 0.4 * r.nextDouble()));
            c.cacheHit = !shadow && t.feature.commonPrompts() > 0 && r.nextDouble() < 0.015;
            c.cost = c.cacheHit ? 0 : m.cost(c.promptTokens, c.cachedTokens, c.completionTokens);
            if (c.cacheHit) c.latencyMs = 4 + r.nextInt(12);
            if (t.feature.validated()) c.validation = success ? "pass" : (r.nextDouble() < 0.85 ? "fail" : "pass");
            if (t.feature.name().equals("code-generation") || t.feature.name().equals("data-analysis")) {
                c.confidence = round4(clamp((success ? 0.78 : 0.42) + 0.13 * r.nextGaussian()));
            }
            if (shadow || r.nextDouble() < 0.08) {
                c.quality = round4(success ? 0.72 + 0.28 * r.nextDouble() : 0.1 + 0.55 * r.nextDouble());
            }
            if (!shadow && r.nextDouble() < 0.05) {
                double u = r.nextDouble();
                c.feedback = success ? (u < 0.92 ? "up" : "rephrase") : (u < 0.6 ? "down" : "rephrase");
            }
        }
        calls++;
        return c;
    }

    /**
     * The cost the gateway logged. Two faults that gateway users report are planted for `reconcile` to find:
     * for three days (the 20th to the 22nd) the gateway had no price for claude-3-haiku and logged $0, and about
     * 2 in 1000 other paid calls were logged at ten times their price (a unit slip). Which calls is decided from
     * the request id, so the rest of the sample does not change.
     */
    private double plantedCost(Trace t, Call c) {
        if (c.shadow || c.cost <= 0) return c.cost;
        String id = requestId(t, c);
        int day = Instant.ofEpochMilli(c.startMs).atZone(java.time.ZoneOffset.UTC).getDayOfMonth();
        if (c.model == SampleModel.HAIKU && day >= 20 && day <= 22) {
            costErrors.add(id);
            return 0;
        }
        long h = (id.hashCode() * 0x9E3779B97F4A7C15L) ^ config.seed();
        if (Math.floorMod(h >>> 7, 1000) < 2) {
            costErrors.add(id);
            return c.cost * 10;
        }
        return c.cost;
    }

    private static String requestId(Trace t, Call c) {
        return t.id.replace("tr-", "req-") + "-" + (c.shadow ? "s" + c.model.tier() : String.valueOf(c.attempt));
    }

    private void write(Writer w, Trace t, Call c) throws IOException {
        StringBuilder b = line;
        b.setLength(0);
        b.append("{\"request_id\":\"").append(requestId(t, c)).append('"');
        str(b, "trace_id", t.id);
        str(b, "timestamp", Instant.ofEpochMilli(c.startMs).toString());
        str(b, "user_id", t.user);
        str(b, "team", t.team);
        str(b, "feature", t.feature.name());
        str(b, "provider", c.model.provider());
        str(b, "model", c.model.name());
        num(b, "tier", c.model.tier());
        num(b, "routed_tier", t.routedTier);
        b.append(",\"router_score\":").append(t.routerScore);
        if (!c.shadow) num(b, "attempt", c.attempt);
        if (c.reason != null) str(b, "escalation_reason", c.reason);
        if (c.confidence != null) b.append(",\"confidence\":").append(c.confidence);
        if (c.validation != null) str(b, "validation", c.validation);
        if (c.quality != null) b.append(",\"quality\":").append(c.quality);
        if (c.feedback != null) str(b, "feedback", c.feedback);
        num(b, "prompt_tokens", c.promptTokens);
        num(b, "completion_tokens", c.completionTokens);
        num(b, "cached_tokens", c.cachedTokens);
        b.append(",\"cost_usd\":").append(String.format(java.util.Locale.ROOT, "%.9f", plantedCost(t, c)));
        b.append(",\"latency_ms\":").append((long) c.latencyMs);
        if (c.ttftMs > 0) b.append(",\"ttft_ms\":").append((long) c.ttftMs);
        str(b, "status", c.status);
        str(b, "prompt_hash", t.promptHash);
        b.append(",\"cache_hit\":").append(c.cacheHit);
        b.append(",\"shadow\":").append(c.shadow);
        b.append("}\n");
        w.append(b);
    }

    private static void str(StringBuilder b, String k, String v) {
        b.append(",\"").append(k).append("\":\"").append(v).append('"');
    }

    private static void num(StringBuilder b, String k, long v) {
        b.append(",\"").append(k).append("\":").append(v);
    }

    private static SampleModel modelFor(int tier, SampleFeature f, SplittableRandom r) {
        if (tier == 3 && f.name().equals("contract-analysis") && r.nextDouble() < 0.5) return SampleModel.OPUS;
        if (tier == 2 && (f.name().equals("code-generation") || f.name().equals("data-analysis")) && r.nextDouble() < 0.4) {
            return SampleModel.GPT4O_MINI;
        }
        return SampleModel.primary(tier);
    }

    private static SampleFeature pickFeature(SplittableRandom r) {
        double u = r.nextDouble(), acc = 0;
        for (SampleFeature f : SampleFeature.ALL) {
            acc += f.weight();
            if (u < acc) return f;
        }
        return SampleFeature.ALL[SampleFeature.ALL.length - 1];
    }

    private static SampleFeature feature(String name) {
        for (SampleFeature f : SampleFeature.ALL) if (f.name().equals(name)) return f;
        throw new IllegalArgumentException(name);
    }

    /** A long tail: user k is chosen with probability falling roughly as 1/(k + 30). */
    private static int zipfUser(SplittableRandom r) {
        double lo = Math.log(30), hi = Math.log(USERS + 30);
        return (int) Math.min(USERS, Math.max(1, Math.floor(Math.exp(lo + r.nextDouble() * (hi - lo))) - 29));
    }

    /**
     * Trace i's start: traffic grows by a fifth over the period and follows the working day (a busy
     * afternoon, quiet nights), so daily spend has a trend a forecast can find.
     */
    private long timestampMs(long i, SplittableRandom r) {
        double u = (i + r.nextDouble()) / config.traces();
        double a = 0.2;
        double dayPos = config.days() * (Math.sqrt(1 + a * (2 + a) * u) - 1) / a;
        long day = (long) Math.floor(dayPos);
        double h = dayPos - day;
        h = h - 0.4 * Math.sin(2 * Math.PI * h) / (2 * Math.PI); // monotonic: more traffic mid-day
        h = Math.min(0.999999, Math.max(0, h));
        return config.start().toEpochMilli() + day * 86_400_000L + (long) (h * 86_400_000L);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static String hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int k = 0; k < s.length(); k++) {
            h ^= s.charAt(k);
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }

    private static final class Trace {
        String id, user, team, promptHash;
        SampleFeature feature;
        double difficulty, routerScore, baseCompletion;
        int routedTier;
        long startMs, promptTokens;
        boolean rule;
        int tiersCalled;
    }

    private static final class Call {
        SampleModel model;
        int attempt;
        String reason, status, validation, feedback;
        boolean shadow, success, cacheHit;
        Double confidence, quality;
        long promptTokens, completionTokens, cachedTokens, startMs;
        double cost, latencyMs, ttftMs;
    }
}
