package dev.bootcluster.primary;

import dev.bootcluster.channel.Notice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class NoticesTests {

	@Test
	void eachNoticeIsLoggedOnceHoweverManyWorkersTell(CapturedOutput output) {
		Notices notices = Notices.forNewCluster();
		for (int worker = 0; worker < 3; worker++) {
			notices.told(Notice.GENERATED_PASSWORD.name());
			notices.told(Notice.SCHEDULED_TASKS.name());
		}
		assertThat(output.toString().split("Using generated security password: " + notices.userPassword(), -1))
			.hasSize(2);
		assertThat(output).contains("This generated password is for development use only.");
		assertThat(output.toString().split("run in every worker", -1)).hasSize(2);
	}

	@Test
	void everyClusterStartHasAPasswordOfItsOwn() {
		assertThat(Notices.forNewCluster().userPassword()).isNotEqualTo(Notices.forNewCluster().userPassword())
			.hasSize(36);
	}

	@Test
	void aNoticeOfANewerWorkerIsIgnored(CapturedOutput output) {
		Notices.forNewCluster().told("SOMETHING_NEW");
		assertThat(output).doesNotContain("SOMETHING_NEW");
	}

}
