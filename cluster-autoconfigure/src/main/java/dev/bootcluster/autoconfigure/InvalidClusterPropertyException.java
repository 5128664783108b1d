package dev.bootcluster.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code cluster.*} (or server) property whose value the cluster cannot run with. It
 * names the property, the value and what is allowed, and is reported before any worker
 * starts.
 */
class InvalidClusterPropertyException extends RuntimeException {

	private final String property;

	private final String value;

	private final String allowed;

	public InvalidClusterPropertyException(String property, @Nullable Object value, String allowed) {
		super("Property '" + property + "' is '" + value + "', which is not allowed: " + allowed);
		this.property = property;
		this.value = String.valueOf(value);
		this.allowed = allowed;
	}

	public String getProperty() {
		return this.property;
	}

	public String getValue() {
		return this.value;
	}

	public String getAllowed() {
		return this.allowed;
	}

}
