package io.github.resquepool.dashboard;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.fleet.FleetResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's JSON answers: records written by Jackson, with the characters of markup
 * escaped, as the hand-written writer before them did, so that a text from Redis reads as
 * data wherever the answer ends up.
 */
class DashboardPagesTests {

	@Test
	void jsonEscapesMarkupAndReadsBackTheSame() {
		String message = "<script>alert('x')</script> & \"more\"";
		var acks = new PoolsController.CommandJson(List.of(new FleetResult.PoolAck("pool-1", "failed", message)), true);
		String json = DashboardPages.json(acks).getBody();
		assertThat(json).doesNotContain("<", ">", "&").contains("\\u003Cscript\\u003E").contains("\"settled\":true");
		assertThat(JsonMapper.builder().build().readTree(json).path("pools").get(0).path("message").asString())
			.isEqualTo(message);
	}

}
