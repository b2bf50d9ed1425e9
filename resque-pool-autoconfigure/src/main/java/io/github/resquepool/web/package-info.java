/**
 * Rules shared by the product's HTTP surfaces (the Actuator endpoints and the dashboard),
 * free of any web framework.
 */
package io.github.resquepool.web;
