package io.github.resquepool.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.github.resquepool.fleet.FleetView;
import io.github.resquepool.thread.ResqueThreads;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits' gauges: per queue or class, per-key limits summed, never tagged by key.
 */
class ResqueLimitMetricsTests {

	@Test
	void keyedLimitsAreSummedPerClassAndQueuesHaveTheirOwnRows() {
		List<FleetView.Limit> limits = new ArrayList<>();
		limits.add(new FleetView.Limit("exports", null, null, 2, null, null, 2, 7, "override", List.of(), null));
		limits.add(new FleetView.Limit(null, "Billing::Charge", "acct-1", 1, null, null, 1, 3, "annotation", List.of(),
				null));
		limits.add(new FleetView.Limit(null, "Billing::Charge", "acct-2", 1, null, null, 1, 0, "annotation", List.of(),
				null));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ResqueLimitMetrics metrics = new ResqueLimitMetrics(() -> List.copyOf(limits), Duration.ofHours(1), 10,
				ResqueThreads.standard());
		metrics.bindTo(registry);
		metrics.refresh();
		assertThat(registry.get("resque.limit.held").tags("kind", "class", "name", "Billing::Charge").gauge().value())
			.isEqualTo(2);
		assertThat(
				registry.get("resque.limit.blocked").tags("kind", "class", "name", "Billing::Charge").gauge().value())
			.isEqualTo(3);
		assertThat(registry.get("resque.limit.blocked").tags("kind", "queue", "name", "exports").gauge().value())
			.isEqualTo(7);
		assertThat(registry.find("resque.limit.held").gauges()).hasSize(2);
		limits.clear();
		metrics.refresh();
		assertThat(registry.find("resque.limit.held").gauges()).isEmpty();
	}

}
