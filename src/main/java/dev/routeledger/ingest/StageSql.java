package dev.routeledger.ingest;

import dev.routeledger.store.CallFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the statement that turns a reader's raw rows into the staging table: every canonical field
 * cleaned and typed, the row's {@code extra} JSON, and the first reason it must be rejected (NULL when it is
 * good). The reader subquery exposes {@code __bad} (a structural problem, or NULL), {@code f_<field>} for each mapped field,
 * {@code __prompt} (prompt text or NULL) and {@code __extra} (JSON or NULL). Records are numbered by the staging
 * table's {@code rowid}: DuckDB keeps a file's order when it creates a table from it, and numbering with
 * {@code row_number() OVER ()} instead would serialise the parallel read (it cost 1.5 s of 3.3 s at 1 M calls).
 */
final class StageSql {
    private StageSql() {}

    /**
     * @param typed whether the reader typed the numeric and boolean columns itself (DuckDB's typed
     *              {@code read_json}); then they are used as they are instead of being parsed from text
     */
    static String build(String stageTable, String readerSql, ColumnMapping mapping, boolean typed) {
        return build(stageTable, readerSql, mapping, typed, false);
    }

    /**
     * @param skips whether the reader has a {@code __skip} column: true for records that are not calls (a Langfuse
     *              span); they are staged with disposition 'skipped' and never rejected
     */
    static String build(String stageTable, String readerSql, ColumnMapping mapping, boolean typed, boolean skips) {
        // the facts columns (CallFacts) are created here, empty, and filled after the commit: adding them with
        // ALTER TABLE to a table written in the same transaction made the commit rewrite it (20 s at 10 M calls)
        return "CREATE TABLE " + stageTable + " AS SELECT *, " + CallFacts.STAGED_COLUMNS + " FROM (" + select(readerSql, mapping, typed, skips) + ")";
    }

    /** The staged rows as a query, without a table (the dry run shows its first rows). */
    static String select(String readerSql, ColumnMapping mapping, boolean typed, boolean skips) {
        // The staging table is a real table in the import's transaction: a large file keeps it as its batch table.
        List<String> raws = new ArrayList<>();
        List<String> cleaned = new ArrayList<>();
        List<String> finals = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        for (CanonicalField f : CanonicalField.values()) {
            boolean mapped = mapping.fields().containsKey(f);
            String raw = mapped ? "f_" + f.column : "NULL";
            if (mapped) raws.add(raw);
            boolean rawTyped = typed && mapped && f.kind.typedByReader();
            cleaned.add((rawTyped ? cleanTyped(f, raw) : clean(f, raw)) + " AS " + f.db);
            finals.add(switch (f) {
                case PROMPT_HASH -> "coalesce(prompt_hash, CASE WHEN __prompt IS NOT NULL THEN "
                    + "left(sha256(lower(regexp_replace(trim(CAST(__prompt AS VARCHAR)), '\\s+', ' ', 'g'))), 16) END) AS prompt_hash";
                case SHADOW -> "coalesce(shadow, false) AS shadow";
                case TRACE_ID -> "coalesce(trace_id, request_id) AS trace_id";
                default -> f.db;
            });
            if (mapped) checks.addAll(checks(f, raw, rawTyped));
            if (f.isRequired()) checks.add("WHEN " + f.db + " IS NULL THEN 'missing " + f.column + "'");
        }
        checks.add("WHEN cached_tokens > prompt_tokens THEN 'cached_tokens (' || cached_tokens || ') exceed prompt_tokens (' || prompt_tokens || ')'");
        checks.add("WHEN ts < TIMESTAMP '1990-01-01' OR ts >= TIMESTAMP '2100-01-01' THEN 'timestamp out of range: ' || ts");

        // reader → raw and cleaned columns → final columns with the reject reason → content hash
        String level1 = "SELECT __bad, " + (skips ? "__skip, " : "false AS __skip, ") + (raws.isEmpty() ? "" : String.join(", ", raws) + ", ") + "__prompt, "
            + "CASE WHEN __extra IS NULL OR CAST(__extra AS VARCHAR) IN ('{}', 'null') THEN NULL ELSE CAST(__extra AS JSON) END AS extra, "
            + String.join(", ", cleaned) + " FROM (" + readerSql + ")";
        String level2 = "SELECT " + String.join(", ", finals) + ", extra, __skip, "
            + "CASE WHEN __skip THEN NULL WHEN __bad IS NOT NULL THEN __bad " + String.join(" ", checks) + " END AS reason FROM (" + level1 + ")";
        return "SELECT * EXCLUDE (__skip), CASE WHEN __skip THEN 'skipped' END AS disposition FROM (" + level2 + ")";
    }

    /**
     * A value as text, without surrounding spaces, empty = NULL. trim() copies every string it is given
     * (about 1 s per million calls over the text fields), so only values that start or end with a space go through it.
     */
    private static String text(String raw) {
        String v = "CAST(" + raw + " AS VARCHAR)";
        return "NULLIF(CASE WHEN prefix(" + v + ", ' ') OR suffix(" + v + ", ' ') THEN trim(" + v + ") ELSE " + v + " END, '')";
    }

    static String clean(CanonicalField f, String raw) {
        if (raw.equals("NULL")) {
            return f == CanonicalField.STATUS ? "'ok'" : "CAST(NULL AS " + sqlType(f) + ")";
        }
        String t = text(raw);
        return switch (f.kind) {
            case TEXT -> t;
            case TIMESTAMP -> timestamp(t);
            case TIER -> "TRY_CAST(" + t + " AS INTEGER)";
            case COUNT -> "TRY_CAST(" + t + " AS BIGINT)";
            case UNIT, AMOUNT -> "TRY_CAST(" + t + " AS DOUBLE)";
            case BOOL -> "CASE WHEN lower(" + t + ") IN ('true','t','1','yes','y') THEN true "
                + "WHEN lower(" + t + ") IN ('false','f','0','no','n','none') THEN false END";
            case STATUS -> "CASE WHEN " + t + " IS NULL THEN 'ok' WHEN " + t + " IN ('ok','error','timeout','rate_limited') THEN " + t
                + " ELSE " + statusMap(t) + " END";
            case VALIDATION -> "CASE WHEN lower(" + t + ") IN ('pass','passed','ok','valid','true','success') THEN 'pass' "
                + "WHEN lower(" + t + ") IN ('fail','failed','invalid','false','failure') THEN 'fail' END";
            case FEEDBACK -> "CASE WHEN lower(" + t + ") IN ('up','thumbs_up','thumbsup','positive','+1','like','good') THEN 'up' "
                + "WHEN lower(" + t + ") IN ('down','thumbs_down','thumbsdown','negative','-1','dislike','bad') THEN 'down' "
                + "WHEN lower(" + t + ") IN ('rephrase','rephrased','retry') THEN 'rephrase' END";
        };
    }

    private static String statusMap(String t) {
        return "CASE WHEN lower(" + t + ") IN ('ok','success','succeeded','successful','200','completed') THEN 'ok' "
            + "WHEN lower(" + t + ") IN ('error','failure','failed','fail','500','502','503') THEN 'error' "
            + "WHEN lower(" + t + ") IN ('timeout','timed_out','timedout','504','408') THEN 'timeout' "
            + "WHEN lower(" + t + ") IN ('rate_limited','ratelimited','rate_limit','429','throttled') THEN 'rate_limited' END";
    }

    /**
     * ISO-8601 with or without offset (no offset = UTC), 'YYYY-MM-DD HH:MM:SS', or an epoch number:
     * ≥ 1e14 is microseconds, ≥ 1e11 milliseconds, else seconds.
     */
    static String timestamp(String t) {
        return "CASE WHEN " + t + " IS NULL THEN NULL "
            + "WHEN substr(" + t + ", 5, 1) = '-' THEN CAST(TRY_CAST(" + t + " AS TIMESTAMPTZ) AS TIMESTAMP) "
            + "WHEN regexp_full_match(" + t + ", '-?[0-9]+(\\.[0-9]+)?') THEN "
            + "CASE WHEN abs(CAST(" + t + " AS DOUBLE)) >= 1e14 THEN make_timestamp(CAST(CAST(" + t + " AS DOUBLE) AS BIGINT)) "
            + "WHEN abs(CAST(" + t + " AS DOUBLE)) >= 1e11 THEN make_timestamp(CAST(CAST(" + t + " AS DOUBLE) * 1000 AS BIGINT)) "
            + "ELSE make_timestamp(CAST(CAST(" + t + " AS DOUBLE) * 1000000 AS BIGINT)) END "
            + "ELSE CAST(TRY_CAST(" + t + " AS TIMESTAMPTZ) AS TIMESTAMP) END";
    }

    static String sqlType(CanonicalField f) {
        return switch (f.kind) {
            case TEXT, STATUS, VALIDATION, FEEDBACK -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMP";
            case TIER -> "INTEGER";
            case COUNT -> "BIGINT";
            case UNIT, AMOUNT -> "DOUBLE";
            case BOOL -> "BOOLEAN";
        };
    }

    /** Reasons a present value is unusable, in the order they are tested. */
    private static String cleanTyped(CanonicalField f, String raw) {
        return f.kind == CanonicalField.Kind.TIER ? "TRY_CAST(" + raw + " AS INTEGER)" : raw;
    }

    private static List<String> checks(CanonicalField f, String raw, boolean typed) {
        String t = typed ? "CAST(" + raw + " AS VARCHAR)" : text(raw);
        String shown = "left(" + t + ", 80)";
        String c = f.db;
        List<String> out = new ArrayList<>();
        String present = typed ? "false" : t + " IS NOT NULL"; // a typed value is never present-but-unreadable
        switch (f.kind) {
            case TEXT -> { }
            case TIMESTAMP -> out.add("WHEN " + present + " AND " + c + " IS NULL THEN 'unknown timestamp format: ' || " + shown);
            case TIER, COUNT -> {
                out.add("WHEN " + present + " AND " + c + " IS NULL THEN '" + c + " is not a whole number: ' || " + shown);
                out.add("WHEN " + c + " < " + (f.kind == CanonicalField.Kind.TIER ? "1" : "0") + " THEN '" + c
                    + (f.kind == CanonicalField.Kind.TIER ? " must be at least 1: '" : " is negative: '") + " || " + c);
            }
            case UNIT, AMOUNT -> {
                out.add("WHEN " + present + " AND " + c + " IS NULL THEN '" + c + " is not a number: ' || " + shown);
                out.add("WHEN isnan(" + c + ") OR isinf(" + c + ") THEN '" + c + " is not a finite number: ' || " + shown);
                out.add("WHEN " + c + " < 0 THEN '" + c + " is negative: ' || " + c);
                if (f.kind == CanonicalField.Kind.UNIT) out.add("WHEN " + c + " > 1 THEN '" + c + " is above 1: ' || " + c);
            }
            case BOOL -> out.add("WHEN " + present + " AND " + c + " IS NULL THEN '" + c + " is not true/false: ' || " + shown);
            case STATUS -> out.add("WHEN " + c + " IS NULL THEN 'unknown status (expected ok, error, timeout or rate_limited): ' || " + shown);
            case VALIDATION -> out.add("WHEN " + present + " AND " + c + " IS NULL THEN 'validation is not pass/fail: ' || " + shown);
            case FEEDBACK -> out.add("WHEN " + present + " AND " + c + " IS NULL THEN 'feedback is not up/down/rephrase: ' || " + shown);
        }
        return out;
    }
}
