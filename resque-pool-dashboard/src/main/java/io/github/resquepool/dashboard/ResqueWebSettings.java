package io.github.resquepool.dashboard;

import java.time.Duration;
import java.util.Map;

/**
 * What the dashboard's controllers are told about their surroundings.
 *
 * @param application the application's name, for page titles
 * @param redis which Redis, in words, for page titles
 * @param readOnly whether actions are off
 * @param pageSize rows per page
 * @param failedScanLimit entries a filtered Failed view reads at most
 * @param actuatorLinks label to link, relative to the dashboard
 * @param pruneAfter the heartbeat age after which Prune takes a worker for dead
 * @param poolLiveness how recent a pool's beat must be for Prune to leave its workers
 * alone
 * @param bulkLimit how many failures one bulk retry or remove acts on at most
 */
public record ResqueWebSettings(String application, String redis, boolean readOnly, int pageSize, int failedScanLimit,
		Map<String, String> actuatorLinks, Duration pruneAfter, Duration poolLiveness, int bulkLimit) {

}
