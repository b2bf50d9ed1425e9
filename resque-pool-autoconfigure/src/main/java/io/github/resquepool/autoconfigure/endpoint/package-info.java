/**
 * Auto-configuration of the {@code resquepool} Actuator endpoint.
 */
package io.github.resquepool.autoconfigure.endpoint;
