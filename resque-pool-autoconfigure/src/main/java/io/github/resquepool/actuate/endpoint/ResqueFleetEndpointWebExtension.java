package io.github.resquepool.actuate.endpoint;

import java.security.Principal;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import io.github.resquepool.resque.ResqueRedisException;

/**
 * The HTTP side of the {@link ResqueFleetEndpoint}: {@code POST
 * /actuator/resquefleet/{action}} answers {@code 200} with each pool's acknowledgement,
 * or {@code 400} with a JSON {@code message} when the request is bad (nothing is stored
 * then), or {@code 503} with a {@code message} when Redis did not answer (the write may
 * or may not have been stored, and asking again is safe). A bare POST acts on the whole
 * fleet. Overrides record the authenticated principal, when there is one, as who set
 * them.
 * <p>
 * Each write is mapped twice, as in {@link ResquePoolEndpointWebExtension}: an operation
 * with body parameters accepts only JSON, so a bare {@code curl -X POST …/pause} goes to
 * the one without.
 */
@EndpointWebExtension(endpoint = ResqueFleetEndpoint.class)
public class ResqueFleetEndpointWebExtension {

	private static final Log logger = LogFactory.getLog(ResqueFleetEndpointWebExtension.class);

	private final ResqueFleetEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint
	 */
	public ResqueFleetEndpointWebExtension(ResqueFleetEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Handles a write with a JSON body.
	 * @param securityContext who asks
	 * @param action {@code pause}, {@code resume}, {@code scale}, {@code reset} or
	 * {@code cancel}
	 * @param pool one pool's id, or {@code null} for every pool
	 * @param group one group, or {@code null} for every group
	 * @param queue one queue to pause or resume, or {@code null}
	 * @param count the number of workers, for {@code scale}
	 * @param worker the worker whose job to cancel, for {@code cancel}
	 * @param jobId the ActiveJob {@code job_id} of the job to cancel, for {@code cancel}
	 * @param concurrency how many of a queue's jobs may run at once, for {@code limit}
	 * @param rate how many of a queue's jobs may start per {@code per}, for {@code limit}
	 * @param per the rate's window, for {@code limit}
	 * @param timeout how long to wait for acknowledgements, or {@code null}
	 * @return {@code 200} with each pool's acknowledgement, {@code 400} with the reason,
	 * or {@code 503} when Redis did not answer
	 */
	@WriteOperation
	public WebEndpointResponse<Object> command(SecurityContext securityContext, @Selector String action,
			@Nullable String pool, @Nullable String group, @Nullable String queue, @Nullable Integer count,
			@Nullable String worker, @Nullable String jobId, @Nullable Integer concurrency, @Nullable Integer rate,
			@Nullable String per, @Nullable String timeout) {
		Principal principal = (securityContext != null) ? securityContext.getPrincipal() : null;
		try {
			return new WebEndpointResponse<>(this.delegate.perform(action, pool, group, queue, count, worker, jobId,
					concurrency, rate, per, timeout, (principal != null) ? principal.getName() : null),
					WebEndpointResponse.STATUS_OK);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Endpoint " + ResqueFleetEndpoint.ID + ": " + action + " refused, nothing stored: "
					+ ex.getMessage());
			return new WebEndpointResponse<>(ResqueFleetDescriptor.Refusal.of(action, ex.getMessage()),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (ResqueRedisException ex) {
			// A write whose answer did not come may still have reached Redis: say so,
			// since every fleet write is safe to ask again.
			String message = "Redis did not answer (" + ex.getMessage() + "): the " + action
					+ " may or may not have been stored; ask again when Redis is back";
			logger.warn("Endpoint " + ResqueFleetEndpoint.ID + ": " + message);
			return new WebEndpointResponse<>(ResqueFleetDescriptor.Refusal.of(action, message),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

	/**
	 * Handles a write without a body, {@code curl -X POST …/pause}: it acts on the whole
	 * fleet. (It takes no {@link SecurityContext}, which would make Actuator map it as
	 * consuming JSON like the other; the principal comes from the servlet request
	 * instead.)
	 * @param action {@code pause}, {@code resume}, {@code scale} or {@code reset}
	 * @return {@code 200} with each pool's acknowledgement, or {@code 400} with the
	 * reason
	 */
	@WriteOperation
	public WebEndpointResponse<Object> commandWithoutBody(@Selector String action) {
		return command(RequestPrincipal.INSTANCE, action, null, null, null, null, null, null, null, null, null, null);
	}

}
