package dev.bootcluster.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * The word each name is greeted with, kept in files (the stand-in for a database every
 * worker shares) and cached per name in each worker: with the cluster's coherent caches,
 * an update in one worker evicts the name in every other.
 */
@Service
public class GreetingBook {

	private final Path directory;

	public GreetingBook(@Value("${sample.greetings.directory}") Path directory) throws IOException {
		this.directory = Files.createDirectories(directory);
	}

	@Cacheable("greetings")
	public String greeting(String name) throws IOException {
		Path file = file(name);
		String word = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "hello";
		return word + " " + name;
	}

	@CachePut(cacheNames = "greetings", key = "#name")
	public String update(String name, String word) throws IOException {
		Files.writeString(file(name), word, StandardCharsets.UTF_8);
		return word + " " + name;
	}

	private Path file(String name) {
		if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
			throw new UncheckedIOException(new IOException("not a name: " + name));
		}
		return this.directory.resolve(name);
	}

}
