package dev.routeledger.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.routeledger.analytics.Filter;
import dev.routeledger.ingest.Importer;
import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.store.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names a policy gives that no call in the replayed scope has: a typo does nothing, and the user hears of it. */
class UnmatchedNamesTest {
    @TempDir Path dir;

    static String call(String id, String feature, String user, String team) {
        return "{\"request_id\":\"" + id + "\",\"timestamp\":\"2026-10-01T10:00:00Z\",\"model\":\"gpt-4o\",\"feature\":\"" + feature
            + "\",\"user_id\":\"" + user + "\",\"team\":\"" + team + "\",\"cost_usd\":0.01}";
    }

    @Test
    void featuresUsersAndTeamsNoCallHasAreListedWithWhereThePolicyNamesThem() throws Exception {
        Path log = Files.writeString(dir.resolve("l.jsonl"), String.join("\n", call("a", "summarize", "ann", "core"),
            call("b", "chat", "bob", "growth"), call("c", "it's", "o'neil", "core")) + "\n");
        Policy p = PolicyFile.parse("""
            routeledger_policy: 1
            name: typos
            tiers:
              - {name: cheap, models: [gpt-4o-mini]}
              - {name: big, models: [gpt-4o]}
            route: {strategy: static, by_feature: {sumarize: 2, chat: 1, "it's": 2}, default_tier: 1}
            rules:
              - when: {user: [ann, carol], team: [core, "gr'owth"]}
                tier: 2
              - when: {feature: [sumarize]}
                min_tier: 2
            """, "typos.yaml");
        try (Workspace ws = Workspace.open(dir.resolve("w.duckdb"))) {
            new Importer(ws, null).importFile(log, "auto");
            // a name quoted like SQL is only a name (bound as a parameter): "it's" matches its feature
            assertThat(UnmatchedNames.find(ws.connection(), Filter.ALL, p)).containsExactly(
                "feature 'sumarize' (route.by_feature)", "user 'carol' (rules[0].when.user)", "team 'gr'owth' (rules[0].when.team)");
            // in a scope without bob's calls, chat is named but absent too
            Filter annOnly = new Filter(null, null, List.of("ann", "o'neil"), List.of(), List.of(), List.of(), List.of(), List.of(), false);
            assertThat(UnmatchedNames.find(ws.connection(), annOnly, p)).contains("feature 'chat' (route.by_feature)");
            // a policy naming nothing has nothing to report
            Policy plain = new Policy("plain", p.tiers(), new Policy.Threshold(List.of(0.5), 0), List.of(), false, false, Policy.Cache.NONE);
            assertThat(UnmatchedNames.find(ws.connection(), Filter.ALL, plain)).isEmpty();
        }
    }
}
