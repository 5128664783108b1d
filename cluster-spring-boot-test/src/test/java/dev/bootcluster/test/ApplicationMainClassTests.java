package dev.bootcluster.test;

import dev.bootcluster.test.app.ClusterTestApplication;
import dev.bootcluster.test.nomain.ConfigurationWithoutMain;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ApplicationMainClassTests {

	@Test
	void theSpringBootConfigurationAboveTheTestIsTheMainClass() {
		assertThat(ApplicationMainClass.of(ClusterTestApplication.class, void.class))
			.isEqualTo(ClusterTestApplication.class.getName());
	}

	@Test
	void aGivenMainClassWins() {
		assertThat(ApplicationMainClass.of(ConfigurationWithoutMain.class, ClusterTestApplication.class))
			.isEqualTo(ClusterTestApplication.class.getName());
	}

	@Test
	void aConfigurationWithoutMainIsRefusedWithWhatToDo() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ApplicationMainClass.of(ConfigurationWithoutMain.class, void.class))
			.withMessageContaining(ConfigurationWithoutMain.class.getName())
			.withMessageContaining("@ClusterTest(mainClass = ...)");
	}

}
