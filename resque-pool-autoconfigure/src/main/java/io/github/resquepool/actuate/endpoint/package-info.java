/**
 * The {@code resquepool} Actuator endpoint: the pool's state, groups and workers, and the
 * pause, resume, scale and reload operations, with the descriptors it answers with.
 */
package io.github.resquepool.actuate.endpoint;
