/**
 * Fleet control: every pool on a Redis seen and steered from any process, through
 * overrides stored in Redis ({@link io.github.resquepool.fleet.ResqueFleet}), and the
 * rule by which a pool folds them into its own state
 * ({@link io.github.resquepool.fleet.FleetOverrides}).
 */
package io.github.resquepool.fleet;
