package io.github.resquepool.actuate.endpoint;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of the {@link ResquePoolEndpoint}: {@code POST
 * /actuator/resquepool/{action}} answers {@code 200} with what changed, or {@code 400}
 * with the reason when nothing changed.
 * <p>
 * It maps each write twice because Actuator derives the accepted content type from the
 * operation's signature: an operation with body parameters consumes only JSON, so a bare
 * {@code curl -X POST …/pause} (no body, no content type) would get {@code 415}, while an
 * operation whose only parameter is the {@code @Selector} accepts it. Spring MVC sends a
 * JSON request to the first and everything else to the second.
 */
@EndpointWebExtension(endpoint = ResquePoolEndpoint.class)
public class ResquePoolEndpointWebExtension {

	private final ResquePoolEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint
	 */
	public ResquePoolEndpointWebExtension(ResquePoolEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Handles a write with a JSON body, {@code {"group":"mail"}} or
	 * {@code {"group":"mail","count":3}}.
	 * @param action {@code pause}, {@code resume}, {@code scale} or {@code reload}
	 * @param group the group, or {@code null} for the whole pool
	 * @param count the new number of workers, for {@code scale}
	 * @return {@code 200} with what changed, or {@code 400} with why nothing did
	 */
	@WriteOperation
	public WebEndpointResponse<ResquePoolActionDescriptor> perform(@Selector String action, @Nullable String group,
			@Nullable Integer count) {
		ResquePoolActionDescriptor result = this.delegate.perform(action, group, count);
		return new WebEndpointResponse<>(result,
				result.applied() ? WebEndpointResponse.STATUS_OK : WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	/**
	 * Handles a write without a body, {@code curl -X POST …/pause}: it acts on the whole
	 * pool.
	 * @param action {@code pause}, {@code resume}, {@code scale} or {@code reload}
	 * @return {@code 200} with what changed, or {@code 400} with why nothing did
	 */
	@WriteOperation
	public WebEndpointResponse<ResquePoolActionDescriptor> performWithoutBody(@Selector String action) {
		return perform(action, null, null);
	}

}
