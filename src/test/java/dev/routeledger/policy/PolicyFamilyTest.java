package dev.routeledger.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Family files: every combination of the sweep's values, each a valid policy; bad sweeps named by line and key. */
class PolicyFamilyTest {
    static final String BASE = """
        routeledger_policy: 1
        name: grid
        tiers:
          - {name: fast, models: [a]}
          - {name: mid, models: [b]}
          - {name: top, models: [c]}
        route: {strategy: threshold, thresholds: [0.5, 0.8], boundary_band: 0.0}
        """;

    @Test
    void thresholdsTakeEveryIncreasingChoiceTimesEachBand() throws Exception {
        List<Policy> f = PolicyFile.parseFamily(BASE + "sweep:\n  thresholds: [0.2, 0.4, 0.6, 0.8]\n  boundary_band: [0.0, 0.05, 0.1]\n", "f.yaml");
        assertThat(f).hasSize(6 * 3); // C(4, 2) × 3
        for (Policy p : f) {
            Policy.Threshold t = (Policy.Threshold) p.route();
            assertThat(t.thresholds().get(0)).isLessThan(t.thresholds().get(1));
        }
        assertThat(f.get(0).name()).isEqualTo("grid [thresholds=0.2,0.4 band=0]");
        assertThat(f.stream().map(Policy::name).distinct()).hasSize(f.size());
    }

    @Test
    void cascadesStaticTiersRetriesAndCacheTtlsVary() throws Exception {
        String cascade = BASE.replace("route: {strategy: threshold, thresholds: [0.5, 0.8], boundary_band: 0.0}",
            "route: {strategy: cascade, start_tier: 1, accept: {min_confidence: 0.7}, max_tier: 3}");
        List<Policy> c = PolicyFile.parseFamily(cascade + "sweep:\n  min_confidence: [0.5, 0.9]\n  escalate_on_failure: [true, false]\n  ttl_minutes: [60]\n", "c.yaml");
        assertThat(c).hasSize(4);
        assertThat(((Policy.Cascade) c.get(0).route()).accept().minConfidence()).isEqualTo(0.5);
        assertThat(c.get(0).cache().exactMatch()).isTrue();
        String stat = BASE.replace("route: {strategy: threshold, thresholds: [0.5, 0.8], boundary_band: 0.0}", "route: {strategy: static, default_tier: 1}");
        List<Policy> s = PolicyFile.parseFamily(stat + "sweep:\n  by_feature: {chat: [1, 2], legal: [top]}\n  default_tier: [1, 2]\n", "s.yaml");
        assertThat(s).hasSize(4);
        assertThat(((Policy.Static) s.get(3).route()).byFeature()).containsEntry("chat", 2).containsEntry("legal", 3);
    }

    @Test
    void aBadSweepIsRefusedWithWhereItIs() {
        assertThatThrownBy(() -> PolicyFile.parseFamily(BASE, "f.yaml")).hasMessageContaining("'sweep' section");
        assertThatThrownBy(() -> PolicyFile.parseFamily(BASE + "sweep:\n  thresholds: [0.2, 1.5]\n", "f.yaml"))
            .hasMessageContaining("f.yaml line 9").hasMessageContaining("sweep.thresholds[1]");
        assertThatThrownBy(() -> PolicyFile.parseFamily(BASE + "sweep:\n  min_confidence: [0.5]\n", "f.yaml")).hasMessageContaining("not a cascade");
        assertThatThrownBy(() -> PolicyFile.parseFamily(BASE + "sweep:\n  colour: [red]\n", "f.yaml")).hasMessageContaining("sweep.colour").hasMessageContaining("unknown key");
        assertThatThrownBy(() -> PolicyFile.parseFamily(BASE + "sweep:\n  default_tier: [7]\n", "f.yaml")).hasMessageContaining("default=7");
        String many = "sweep:\n  thresholds: [" + String.join(", ", java.util.stream.IntStream.range(1, 100).mapToObj(i -> String.valueOf(i / 100.0)).toList()) + "]\n";
        assertThatThrownBy(() -> PolicyFile.parseFamily(BASE + many, "f.yaml")).hasMessageContaining("more than " + PolicyFile.MAX_FAMILY);
    }
}
