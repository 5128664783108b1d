package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spring Boot 4 web app with Actuator as start.spring.io makes one (artifact
 * {@code demo}, a main class, one controller), written in a directory, to which a test
 * adds snippets where a user would paste them. Used on the test's thread.
 */
final class ThrowawayApp {

	private static final String PACKAGE = "com.example.demo";

	private static final Pattern CLASS_NAME = Pattern.compile("^(?:public |final )*class (\\w+)", Pattern.MULTILINE);

	private final Path directory;

	private ThrowawayApp(Path directory) {
		this.directory = directory;
	}

	static ThrowawayApp create(Path directory) throws IOException {
		ThrowawayApp app = new ThrowawayApp(directory);
		app.write("pom.xml", """
				<?xml version="1.0" encoding="UTF-8"?>
				<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
					xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
					<modelVersion>4.0.0</modelVersion>
					<parent>
						<groupId>org.springframework.boot</groupId>
						<artifactId>spring-boot-starter-parent</artifactId>
						<version>4.0.7</version>
						<relativePath/>
					</parent>
					<groupId>com.example</groupId>
					<artifactId>demo</artifactId>
					<version>0.0.1-SNAPSHOT</version>
					<properties>
						<java.version>17</java.version>
					</properties>
					<dependencies>
						<dependency>
							<groupId>org.springframework.boot</groupId>
							<artifactId>spring-boot-starter-actuator</artifactId>
						</dependency>
						<dependency>
							<groupId>org.springframework.boot</groupId>
							<artifactId>spring-boot-starter-webmvc</artifactId>
						</dependency>
					</dependencies>
					<build>
						<plugins>
							<plugin>
								<groupId>org.springframework.boot</groupId>
								<artifactId>spring-boot-maven-plugin</artifactId>
							</plugin>
						</plugins>
					</build>
				</project>
				""");
		app.write("src/main/resources/application.properties", "spring.application.name=demo\n");
		app.addClass("""
				import org.springframework.boot.SpringApplication;
				import org.springframework.boot.autoconfigure.SpringBootApplication;

				@SpringBootApplication
				public class DemoApplication {

					public static void main(String[] args) {
						SpringApplication.run(DemoApplication.class, args);
					}

				}
				""");
		app.addClass("""
				import org.springframework.web.bind.annotation.GetMapping;
				import org.springframework.web.bind.annotation.RestController;

				@RestController
				public class HelloController {

					@GetMapping("/")
					public String hello() {
						return "Hello";
					}

				}
				""");
		return app;
	}

	Path directory() {
		return this.directory;
	}

	/** Pasted into {@code pom.xml}'s {@code <dependencies>}. */
	void addDependencies(String xml) throws IOException {
		Path pom = this.directory.resolve("pom.xml");
		String text = Files.readString(pom);
		Files.writeString(pom, text.replace("\t</dependencies>", xml + "\t</dependencies>"));
	}

	/** Pasted at the end of {@code application.properties}. */
	void addProperties(String properties) throws IOException {
		Files.writeString(this.directory.resolve("src/main/resources/application.properties"),
				Files.readString(this.directory.resolve("src/main/resources/application.properties")) + properties);
	}

	/**
	 * Pasted as a class of its own next to the application class, under the app's
	 * {@code package} line (as an IDE writes it).
	 */
	void addClass(String source) throws IOException {
		Matcher name = CLASS_NAME.matcher(source);
		if (!name.find()) {
			throw new AssertionError("No class in: " + source);
		}
		write("src/main/java/" + PACKAGE.replace('.', '/') + "/" + name.group(1) + ".java",
				"package " + PACKAGE + ";\n\n" + source);
	}

	private void write(String file, String text) throws IOException {
		Path path = this.directory.resolve(file);
		Files.createDirectories(path.getParent());
		Files.writeString(path, text);
	}

}
