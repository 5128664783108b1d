package dev.bootcluster.test.nomain;

import org.springframework.boot.SpringBootConfiguration;

/** A {@code @SpringBootConfiguration} that cannot be started: it has no main method. */
@SpringBootConfiguration
public class ConfigurationWithoutMain {

}
