package io.github.resquepool.actuate.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.github.resquepool.web.CrossSiteRequests;

/**
 * Checks the shape of a write to the {@code resquepool} or {@code resquefleet} endpoint
 * before Actuator binds it, and refuses a bad one with {@code 400} and the reason, like
 * the endpoints' own refusals:
 * <ul>
 * <li>a parameter the operation does not read: Actuator passes query parameters and JSON
 * body fields to an operation by name and silently drops the names it does not declare,
 * which would turn {@code {"grup":"mail"}} (a typo) or {@code POST …/pause?group=mail}
 * without a JSON content type (served by the body-less operation) into a pause of every
 * group;</li>
 * <li>a {@code count} that is not a whole number, which Actuator would refuse without
 * saying why.</li>
 * </ul>
 * A write that a page of another site sent through an operator's browser is refused
 * first, with {@code 403} ({@link CrossSiteRequests}): a body-less POST needs no CORS
 * permission, and Actuator's writes are often served without CSRF protection (HTTP Basic
 * for scripts).
 */
public class ResquePoolOperationInvokerAdvisor implements OperationInvokerAdvisor {

	private static final Log logger = LogFactory.getLog(ResquePoolOperationInvokerAdvisor.class);

	private static final EndpointId POOL_ID = EndpointId.of(ResquePoolEndpoint.ID);

	private static final EndpointId FLEET_ID = EndpointId.of(ResqueFleetEndpoint.ID);

	private static final int FORBIDDEN = 403;

	private static final Set<String> BODY_PARAMETERS = Set.of("group", "count", "pool", "queue", "timeout", "worker",
			"jobId", "concurrency", "rate", "per");

	private static final List<String> WHOLE_NUMBERS = List.of("count", "concurrency", "rate");

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		boolean fleet = FLEET_ID.equals(endpointId);
		if (!(fleet || POOL_ID.equals(endpointId)) || operationType != OperationType.WRITE) {
			return invoker;
		}
		Set<String> declared = parameters.stream().map(OperationParameter::getName).collect(Collectors.toSet());
		return (context) -> {
			String crossSite = CrossSiteRequests.refusal(RequestPrincipal::header);
			if (crossSite != null) {
				String action = String.valueOf(context.getArguments().get("action"));
				String message = crossSite + ": the " + endpointId
						+ " endpoint takes writes from the application's own pages and from clients such as curl";
				logger.warn("Endpoint " + endpointId + ": " + action + " refused, nothing changed: " + message);
				Object body = fleet ? ResqueFleetDescriptor.Refusal.of(action, message)
						: ResquePoolActionDescriptor.refused(action, null, message);
				return new WebEndpointResponse<>(body, FORBIDDEN);
			}
			List<String> undeclared = context.getArguments()
				.keySet()
				.stream()
				.filter((name) -> !declared.contains(name))
				.sorted()
				.toList();
			String message = undeclared.isEmpty() ? checkWholeNumbers(context.getArguments())
					: describe(undeclared, declared);
			if (message == null) {
				return invoker.invoke(context);
			}
			String action = String.valueOf(context.getArguments().get("action"));
			logger.warn("Endpoint " + endpointId + ": " + action + " refused, nothing changed: " + message);
			Object body = fleet ? ResqueFleetDescriptor.Refusal.of(action, message)
					: ResquePoolActionDescriptor.refused(action, null, message);
			return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_BAD_REQUEST);
		};
	}

	private static String checkWholeNumbers(Map<String, Object> arguments) {
		for (String name : WHOLE_NUMBERS) {
			Object value = arguments.get(name);
			if (value == null || value instanceof Integer) {
				continue;
			}
			try {
				Integer.parseInt(value.toString().strip());
			}
			catch (NumberFormatException ex) {
				return name + " must be a whole number, was '" + value + "'";
			}
		}
		return null;
	}

	private static String describe(List<String> undeclared, Set<String> declared) {
		String names = undeclared.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "));
		if (BODY_PARAMETERS.containsAll(undeclared)) {
			return names + " must come in a JSON body with Content-Type: application/json, for example "
					+ "-H 'Content-Type: application/json' -d '{\"group\":\"default\"}'";
		}
		List<String> known = declared.stream().filter(BODY_PARAMETERS::contains).sorted().toList();
		return "unknown parameter " + names + "; the endpoint reads "
				+ known.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "))
				+ " from a JSON body";
	}

}
