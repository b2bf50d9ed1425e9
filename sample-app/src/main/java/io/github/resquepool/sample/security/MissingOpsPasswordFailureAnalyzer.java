package io.github.resquepool.sample.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link MissingOpsPasswordException}: where to set the operators' password,
 * and how to run the sample for development without one.
 */
class MissingOpsPasswordFailureAnalyzer extends AbstractFailureAnalyzer<MissingOpsPasswordException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingOpsPasswordException cause) {
		String description = "The operators' password OPS_PASSWORD is not set or is blank. It guards the Actuator "
				+ "endpoints (all but health), the Resque dashboard at /resque and the demo endpoints, and the "
				+ "packaged application has no default one.";
		String action = """
				Set OPS_PASSWORD to a secret of your own (OPS_USER names the operator, ops by default):
				  java -jar:   OPS_PASSWORD=... java -jar sample-app/target/sample-app.jar
				  Heroku:      heroku config:set OPS_PASSWORD="$(openssl rand -base64 24)"
				  Kubernetes:  kubectl create secret generic resque-pool-sample-ops --from-literal=password="$(openssl rand -base64 24)"
				               (sample-app/deploy/kubernetes.yaml reads it)
				For development only, run with the dev profile, whose password is ops-dev-password:
				./mvnw -pl sample-app -am spring-boot:run switches it on, and so does --spring.profiles.active=dev.""";
		return new FailureAnalysis(description, action, cause);
	}

}
