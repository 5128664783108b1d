package dev.bootcluster.ctl;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Reply;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --json}: the answers as the {@code cluster} endpoint writes them (its read, and
 * {@code {"reload": …, "message": …}} for an operation), with Jackson as actuator
 * configures it for endpoints (absent values left out), plus the outcome of an operation.
 * Needs Jackson on the class path, as actuator does.
 * <p>
 * Threads: none of its own; stateless.
 */
final class CtlJson {

	private static final JsonMapper mapper = JsonMapper.builder()
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL)
			.withContentInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private CtlJson() {
	}

	static String status(ClusterStatus status) {
		return mapper.writeValueAsString(status);
	}

	static String reply(Reply reply) {
		return mapper.writeValueAsString(new Answer(reply.reloadId(), reply.message(), reply.outcome().name()));
	}

	/** An operation's answer: the endpoint's fields, and the outcome. */
	record Answer(@Nullable String reload, String message, String outcome) {
	}

}
