package dev.routeledger.console.screens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.routeledger.policy.Policy;
import dev.routeledger.policy.PolicyFile;
import dev.routeledger.policy.PolicyWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab's "Sweep the family" makes a family that reads back for every kind of route it can hold. */
class PolicyLabSweepTest {
    static final String TIERS = "routeledger_policy: 1\nname: p\ntiers:\n  - {name: a, models: [m-a]}\n  - {name: b, models: [m-b]}\n  - {name: c, models: [m-c]}\n";

    static List<Policy> family(String route) throws Exception {
        Policy p = PolicyFile.parse(TIERS + route, "p.yaml");
        return PolicyFile.parseFamily(PolicyWriter.yaml(p) + PolicyLabScreen.sweepSection(p), "family");
    }

    @Test
    void everyRouteKindSweepsWhatItCanChoose() throws Exception {
        assertThat(family("route: {strategy: threshold, thresholds: [0.3, 0.7]}\n")).hasSize(72);
        assertThat(family("route: {strategy: cascade, accept: {min_confidence: 0.7}}\n")).hasSize(8);
        assertThat(family("route: {strategy: cascade, accept: {min_quality: 0.8}}\n")).hasSize(8);
        assertThat(family("route: {strategy: cascade, start_tier: 1, accept: {validation: pass}, max_tier: 3}\n"))
            .extracting(p -> ((Policy.Cascade) p.route()).startTier()).containsExactly(1, 2);
        assertThat(family("route: {strategy: cascade, start_tier: 1, accept: {validation: pass}, max_tier: 1}\n"))
            .extracting(p -> ((Policy.Cascade) p.route()).maxTier()).containsExactly(1, 2, 3);
        assertThat(family("route: {strategy: static, by_feature: {x: 3}, default_tier: 2}\n"))
            .extracting(p -> ((Policy.Static) p.route()).defaultTier()).containsExactly(1, 2, 3);
    }
}
