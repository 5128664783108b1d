package dev.bootcluster.worker;

import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.channel.Notice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SharedUserPasswordTests {

	private final List<Notice> told = new ArrayList<>();

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class))
		.withBean(SharedUserPassword.class, () -> new SharedUserPassword(this.told::add, "cluster-secret"));

	@Test
	void bootsGeneratedUserGetsTheClustersPasswordAndThePrimaryIsToldInsteadOfALog(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context.getBean(InMemoryUserDetailsManager.class).loadUserByUsername("user").getPassword())
				.isEqualTo("{noop}cluster-secret");
			assertThat(this.told).containsExactly(Notice.GENERATED_PASSWORD);
		});
		assertThat(output).doesNotContain("Using generated security password");
	}

	@Test
	void aReactiveAppsGeneratedUserGetsTheClustersPasswordToo(CapturedOutput output) {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ReactiveUserDetailsServiceAutoConfiguration.class))
			.withBean(SharedUserPassword.class, () -> new SharedUserPassword(this.told::add, "cluster-secret"))
			.run((context) -> {
				assertThat(context.getBean(MapReactiveUserDetailsService.class).findByUsername("user").block())
					.extracting(User.class::cast)
					.extracting(User::getPassword)
					.isEqualTo("{noop}cluster-secret");
				assertThat(this.told).containsExactly(Notice.GENERATED_PASSWORD);
			});
		assertThat(output).doesNotContain("Using generated security password");
	}

	@Test
	void aPasswordOfTheUsersOwnIsKeptAndNothingIsTold() {
		this.runner.withPropertyValues("spring.security.user.password=mine").run((context) -> {
			assertThat(context.getBean(InMemoryUserDetailsManager.class).loadUserByUsername("user").getPassword())
				.isEqualTo("{noop}mine");
			assertThat(this.told).isEmpty();
		});
	}

	@Test
	void anAppWithUsersOfItsOwnIsNotToldOfAPassword() {
		this.runner
			.withBean(UserDetailsService.class,
					() -> new InMemoryUserDetailsManager(User.withUsername("own").password("{noop}own").build()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.told).isEmpty();
			});
	}

}
