package io.github.resquepool.actuate.endpoint;

import java.util.List;
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

/**
 * Checks the shape of a write to the {@code resquepool} endpoint before Actuator binds it, and
 * refuses a bad one with {@code 400} and the reason, like the endpoint's own refusals:
 * <ul>
 * <li>a parameter the operation does not read: Actuator passes query parameters and JSON body
 * fields to an operation by name and silently drops the names it does not declare, which would
 * turn {@code {"grup":"mail"}} (a typo) or {@code POST …/pause?group=mail} without a JSON
 * content type (served by the body-less operation) into a pause of every group;</li>
 * <li>a {@code count} that is not a whole number, which Actuator would refuse without saying
 * why.</li>
 * </ul>
 */
public class ResquePoolOperationInvokerAdvisor implements OperationInvokerAdvisor {

	private static final Log logger = LogFactory.getLog(ResquePoolOperationInvokerAdvisor.class);

	private static final EndpointId ENDPOINT_ID = EndpointId.of(ResquePoolEndpoint.ID);

	private static final Set<String> BODY_PARAMETERS = Set.of("group", "count");

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		if (!ENDPOINT_ID.equals(endpointId) || operationType != OperationType.WRITE) {
			return invoker;
		}
		Set<String> declared = parameters.stream().map(OperationParameter::getName).collect(Collectors.toSet());
		return (context) -> {
			List<String> undeclared = context.getArguments().keySet().stream()
				.filter((name) -> !declared.contains(name))
				.sorted()
				.toList();
			String message = undeclared.isEmpty() ? checkCount(context.getArguments().get("count"))
					: describe(undeclared);
			if (message == null) {
				return invoker.invoke(context);
			}
			String action = String.valueOf(context.getArguments().get("action"));
			logger.warn("Endpoint " + ResquePoolEndpoint.ID + ": " + action + " refused, nothing changed: " + message);
			return new WebEndpointResponse<>(ResquePoolActionDescriptor.refused(action, null, message),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		};
	}

	private static String checkCount(Object count) {
		if (count == null || count instanceof Integer) {
			return null;
		}
		try {
			Integer.parseInt(count.toString().strip());
			return null;
		}
		catch (NumberFormatException ex) {
			return "count must be a whole number, was '" + count + "'";
		}
	}

	private static String describe(List<String> undeclared) {
		String names = undeclared.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "));
		if (BODY_PARAMETERS.containsAll(undeclared)) {
			return names + " must come in a JSON body with Content-Type: application/json, for example "
					+ "-H 'Content-Type: application/json' -d '{\"group\":\"default\"}'";
		}
		return "unknown parameter " + names + "; the endpoint reads 'group' and 'count' from a JSON body";
	}

}
