package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Two knobs the end-to-end tests turn, off by default: {@code sample.construction-log}
 * names a file that every process appends its pid to when this bean is created (so a test
 * can check that the primary never creates the application's context), and
 * {@code sample.fail-on-start=true} makes the application fail to start.
 */
@Component
public class StartupProbes {

	public StartupProbes(@Value("${sample.construction-log:}") String constructionLog,
			@Value("${sample.fail-on-start:false}") boolean failOnStart) throws IOException {
		if (StringUtils.hasText(constructionLog)) {
			Files.writeString(Path.of(constructionLog), ProcessHandle.current().pid() + System.lineSeparator(),
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		if (failOnStart) {
			throw new IllegalStateException("sample.fail-on-start is true: this application refuses to start");
		}
	}

}
